import {
  DEFAULT_SERVICE_LEVELS,
  VolumeBackup,
} from '@openebs-portal/plugin-openebs-storage-common';
import {
  assessVolumeHealth,
  summariseHealth,
  VolumeHealthInput,
} from './volumeHealth';

const now = new Date('2026-11-26T12:00:00Z');
const hoursAgo = (h: number) =>
  new Date(now.getTime() - h * 3_600_000).toISOString();

function backup(overrides: Partial<VolumeBackup>): VolumeBackup {
  return {
    backupName: 'daily-1',
    method: 'fs-backup',
    phase: 'Completed',
    backupPhase: 'Completed',
    storageLocation: 'default',
    startedAt: hoursAgo(2),
    completedAt: hoursAgo(1.9),
    ...overrides,
  };
}

function input(overrides: Partial<VolumeHealthInput>): VolumeHealthInput {
  const backups = overrides.backups ?? [backup({})];
  return {
    namespace: 'shop',
    backups,
    lastGoodBackup: backups.find(
      b => b.phase === 'Completed' && b.backupPhase === 'Completed',
    ),
    schedules: ['daily'],
    storageLocations: [
      { name: 'default', phase: 'Available', isDefault: true },
    ],
    serviceLevels: DEFAULT_SERVICE_LEVELS,
    now,
    ...overrides,
  };
}

describe('assessVolumeHealth', () => {
  it('is protected with a schedule and a good backup under 25 h old', () => {
    expect(assessVolumeHealth(input({}))).toEqual({
      status: 'protected',
      reason: 'Schedule daily; last good backup daily-1 2 h ago',
    });
  });

  it('is at risk when the last good backup is older than 25 h', () => {
    const stale = backup({
      completedAt: hoursAgo(26),
      startedAt: hoursAgo(26.1),
    });
    expect(assessVolumeHealth(input({ backups: [stale] })).status).toBe(
      'at-risk',
    );
  });

  it.each([
    [
      { phase: 'Failed', message: 'data path not found' },
      'failed: data path not found',
    ],
    [{ backupPhase: 'PartiallyFailed' }, 'partially failed'],
  ])('is at risk when the newest backup %j', (newest, reason) => {
    const backups = [backup({ backupName: 'daily-2', ...newest }), backup({})];
    const health = assessVolumeHealth(
      input({ backups, lastGoodBackup: backups[1] }),
    );
    expect(health.status).toBe('at-risk');
    expect(health.reason).toContain(reason);
  });

  it('is at risk when the storage location holding the backup is unavailable', () => {
    const health = assessVolumeHealth(
      input({
        storageLocations: [
          { name: 'default', phase: 'Unavailable', isDefault: true },
        ],
      }),
    );
    expect(health).toEqual({
      status: 'at-risk',
      reason: 'Backup storage location default is Unavailable',
    });
  });

  it('is at risk when covered but never backed up', () => {
    expect(assessVolumeHealth(input({ backups: [] })).status).toBe('at-risk');
  });

  it('is unprotected without a schedule, at risk with only a recent manual backup', () => {
    expect(
      assessVolumeHealth(input({ schedules: [], backups: [] })).status,
    ).toBe('unprotected');
    expect(assessVolumeHealth(input({ schedules: [] })).status).toBe('at-risk');
  });

  it("is at risk when the data's node is NotReady or gone, naming the stuck pods and the way out", () => {
    const notReady = assessVolumeHealth(
      input({
        node: {
          name: 'node-2',
          state: 'not-ready',
          since: '2026-11-26T11:40:00Z',
          stuckPods: ['db-0'],
        },
      }),
    );
    expect(notReady).toEqual({
      status: 'at-risk',
      reason:
        'Data unreachable: node node-2 is NotReady since 2026-11-26T11:40:00Z; pods stuck: db-0. Restore its newest good backup daily-1 into a new namespace or in place (platform admins; owners with their approval), or wait for the node',
    });
    // Gone, and never backed up: only the node can bring it back.
    expect(
      assessVolumeHealth(
        input({
          backups: [],
          node: { name: 'node-2', state: 'missing', stuckPods: [] },
        }),
      ),
    ).toEqual({
      status: 'at-risk',
      reason:
        'Data unreachable: node node-2 no longer exists. No good backup of it exists: only the node coming back brings the data back',
    });
    // A ready node changes nothing.
    expect(
      assessVolumeHealth(
        input({ node: { name: 'node-2', state: 'ready', stuckPods: [] } }),
      ).status,
    ).toBe('protected');
  });

  it('is unknown for a deleted claim, naming the backup that can bring it back', () => {
    expect(assessVolumeHealth(input({ deleted: true }))).toEqual({
      status: 'unknown',
      reason:
        'The claim was deleted; its last good backup daily-1 can be restored',
    });
  });

  it('is unknown when the cluster cannot be read, whatever else is true', () => {
    expect(
      assessVolumeHealth(
        input({ unreadable: 'Cluster lab could not be read' }),
      ),
    ).toEqual({
      status: 'unknown',
      reason: 'Cluster lab could not be read',
    });
  });
});

describe('summariseHealth', () => {
  it('takes the worst volume and names the affected ones', () => {
    expect(summariseHealth([])).toBeUndefined();
    expect(
      summariseHealth([
        { name: 'a', health: { status: 'protected', reason: '' } },
        { name: 'b', health: { status: 'unknown', reason: '' } },
        { name: 'c', health: { status: 'at-risk', reason: '' } },
      ]),
    ).toEqual({ status: 'at-risk', reason: '1 of 3 volumes at risk: c' });
    expect(
      summariseHealth([
        { name: 'a', health: { status: 'protected', reason: '' } },
      ]),
    ).toEqual({ status: 'protected', reason: 'All 1 volume is protected' });
  });
});
