import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { aVolumeMigration } from '../testUtils/volumeMigration';
import {
  createMigrationAnnouncer,
  migrationNotice,
} from './migrationAnnouncer';

const migration = aVolumeMigration();

describe('migrationNotice', () => {
  it('asks the owners to decide once the workload runs on the new volume', () => {
    expect(migrationNotice(migration, 300)).toEqual({
      title:
        'legacy-uploads/uploads runs on openebs-localpv-hostpath: keep it or roll back',
      description:
        'Stopped for 34 s, within the 5 min limit. 320 files, equal on both volumes. The old volume pv-old is kept until someone decides on the Storage tab.',
      severity: 'high',
    });
  });

  it('says a failed migration may still be rolled back only when its data is whole', () => {
    const failedCopy = migrationNotice(
      {
        ...migration,
        state: 'failed',
        failureReason: 'The copy pod failed: manifests differ',
        steps: [{ name: 'copy', state: 'failed' } as any],
      },
      300,
    );
    expect(failedCopy?.description).toBe(
      'The copy pod failed: manifests differ',
    );
    const failedStart = migrationNotice(
      {
        ...migration,
        state: 'failed',
        failureReason: 'uploads did not become Ready',
        steps: [
          { name: 'stop-workloads', state: 'done' },
          { name: 'copy', state: 'done' },
          { name: 'swap-claim', state: 'done' },
          { name: 'start-workloads', state: 'failed' },
        ] as any,
      },
      300,
    );
    expect(failedStart?.description).toContain('it can be rolled back');
  });

  it('says when the workload was stopped longer than the limit', () => {
    expect(
      migrationNotice({ ...migration, downtimeSeconds: 420 }, 300)?.description,
    ).toContain('Stopped for 7 min, over the 5 min limit.');
  });

  it('reports the rollback with the kept new volume', () => {
    expect(
      migrationNotice(
        {
          ...migration,
          state: 'rolled-back',
          decidedBy: 'user:default/guest',
        },
        300,
      ),
    ).toMatchObject({
      title: 'legacy-uploads/uploads is back on lab-local-static',
      severity: 'normal',
    });
  });

  it('says nothing for the steps in between or a decision the owners made', () => {
    for (const state of ['in-progress', 'rolling-back', 'confirmed'] as const) {
      expect(migrationNotice({ ...migration, state }, 300)).toBeUndefined();
    }
  });
});

describe('createMigrationAnnouncer', () => {
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'legacy-uploads', namespace: 'default' },
    spec: { owner: 'group:default/team-shop' },
  };

  function announcer(send = jest.fn().mockResolvedValue(undefined)) {
    const auditor = mockServices.auditor.mock();
    const event = { success: jest.fn(), fail: jest.fn() };
    auditor.createEvent.mockResolvedValue(event);
    const logger = mockServices.logger.mock();
    const announce = createMigrationAnnouncer({
      notifications: { send } as any,
      auditor,
      catalog: catalogServiceMock({ entities: [entity] }),
      auth: mockServices.auth(),
      logger,
      downtimeLimitSeconds: 300,
    });
    return { announce, send, auditor, event, logger };
  }

  it('notifies the owners and the requester, one notification per migration', async () => {
    const { announce, send, event } = announcer();
    await announce(migration);
    expect(send).toHaveBeenCalledWith({
      recipients: {
        type: 'entity',
        entityRef: ['group:default/team-shop', 'user:default/guest'],
      },
      payload: expect.objectContaining({
        title:
          'legacy-uploads/uploads runs on openebs-localpv-hostpath: keep it or roll back',
        link: '/catalog/default/component/legacy-uploads/storage',
        topic: 'openebs-storage-migration',
        scope: 'm-1',
        severity: 'high',
      }),
    });
    expect(event.success).toHaveBeenCalled();
  });

  it('audits a failure as failed, and sends nothing for a step in between', async () => {
    const { announce, send, event } = announcer();
    await announce({ ...migration, state: 'in-progress' });
    expect(send).not.toHaveBeenCalled();
    await announce({ ...migration, state: 'failed', failureReason: 'boom' });
    expect(event.fail).toHaveBeenCalledWith({ error: new Error('boom') });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('logs a notification that could not be sent instead of failing the pass', async () => {
    const { announce, logger } = announcer(
      jest.fn().mockRejectedValue(new Error('notifications down')),
    );
    await expect(announce(migration)).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      'Migration notification not sent: Error: notifications down',
      { entityRef: migration.entityRef },
    );
  });
});
