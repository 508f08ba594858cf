import { mockServices } from '@backstage/backend-test-utils';
import { VolumeMigration } from '@openebs-portal/plugin-openebs-storage-common';
import { MigrationService } from './MigrationService';

/**
 * The pass announces a migration when the runner changed its state, and
 * only then: a step done within the same state is the tab's to show.
 */
describe('MigrationService.syncOnce announcements', () => {
  const running = {
    id: 'm-1',
    cluster: 'lab',
    state: 'in-progress',
  } as VolumeMigration;

  function serviceAdvancingTo(next: VolumeMigration | undefined) {
    const update = jest.fn();
    const announce = jest.fn().mockResolvedValue(undefined);
    const service = new MigrationService({
      store: { listRunning: async () => [running], update } as any,
      clusters: { get: () => ({}) } as any,
      ownership: {} as any,
      tenancy: {} as any,
      runner: { advance: async () => next } as any,
      logger: mockServices.logger.mock(),
      announce,
      downtimeLimitSeconds: 300,
    });
    return { service, update, announce };
  }

  it('announces a new state once it is stored', async () => {
    const next = { ...running, state: 'awaiting-confirmation' as const };
    const { service, update, announce } = serviceAdvancingTo(next);
    await service.syncOnce();
    expect(update).toHaveBeenCalledWith(next);
    expect(announce).toHaveBeenCalledWith(next);
  });

  it('stays quiet when a step moved on within the same state', async () => {
    const { service, update, announce } = serviceAdvancingTo({
      ...running,
      updatedAt: 'later',
    });
    await service.syncOnce();
    expect(update).toHaveBeenCalled();
    expect(announce).not.toHaveBeenCalled();
  });

  it('stays quiet when the runner had nothing to do', async () => {
    const { service, announce } = serviceAdvancingTo(undefined);
    await service.syncOnce();
    expect(announce).not.toHaveBeenCalled();
  });
});
