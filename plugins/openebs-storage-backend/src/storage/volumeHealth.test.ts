import {
  DEFAULT_SERVICE_LEVELS,
  VolumeBackup,
} from '@openebs-portal/plugin-openebs-storage-common';
import { assessRecoveryPoint } from './recoveryPoint';
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

/** The volume's inputs, its recovery point judged by `cron` (daily at 02:00). */
function input(
  overrides: Partial<VolumeHealthInput>,
  cron = '0 2 * * *',
): VolumeHealthInput {
  const backups = overrides.backups ?? [backup({})];
  const lastGoodBackup = backups.find(
    b => b.phase === 'Completed' && b.backupPhase === 'Completed',
  );
  const schedules = overrides.schedules ?? ['daily'];
  return {
    namespace: 'shop',
    backups,
    lastGoodBackup,
    schedules,
    recoveryPoint: assessRecoveryPoint({
      schedules: schedules.map(name => ({ name, cron })),
      lastGoodBackup,
      backupSeconds: DEFAULT_SERVICE_LEVELS.backupSeconds,
      now,
    }),
    storageLocations: [
      { name: 'default', phase: 'Available', isDefault: true },
    ],
    serviceLevels: DEFAULT_SERVICE_LEVELS,
    now,
    ...overrides,
  };
}

describe('assessVolumeHealth', () => {
  it("is protected while the last good backup is newer than the schedule's last due run", () => {
    expect(assessVolumeHealth(input({}))).toEqual({
      status: 'protected',
      reason: 'Schedule daily, every 1 d; last good backup daily-1 2 h ago',
    });
  });

  it.each([
    // [cron, backup started hours ago, overdue]: judged by each schedule's own interval.
    ['0 * * * *', 0.5, false],
    ['0 * * * *', 2, true],
    ['0 2 * * *', 9, false],
    ['0 2 * * *', 26, true],
    ['0 3 * * 0', 4 * 24, false], // weekly, Sunday 03:00; now is Thursday noon
    ['0 3 * * 0', 8 * 24, true],
  ])('%s with a backup %d h old: overdue %s', (cron, hours, overdue) => {
    const old = backup({
      startedAt: hoursAgo(hours),
      completedAt: hoursAgo(hours - 0.1),
    });
    const health = assessVolumeHealth(input({ backups: [old] }, cron));
    expect(health.status).toBe(overdue ? 'at-risk' : 'protected');
    const escaped = cron.replace(/\*/g, '\\*');
    expect(health.reason).toMatch(
      overdue
        ? new RegExp(
            `^Recovery point .* old: schedule daily \\(${escaped}, every .*\\) was due to back it up at .*; last good backup daily-1$`,
          )
        : /^Schedule daily, every .*; last good backup daily-1 .* ago$/,
    );
  });

  it('is at risk when the newest scheduled run skipped the volume, even with a recent older copy', () => {
    const health = assessVolumeHealth(
      input({
        skipped:
          'Newest backup daily-2 (schedule daily) holds no copy of this volume: no pod mounts the claim',
      }),
    );
    expect(health).toEqual({
      status: 'at-risk',
      reason:
        'Newest backup daily-2 (schedule daily) holds no copy of this volume: no pod mounts the claim',
    });
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

  it("points at the Backup storage card instead of repeating Velero's long message", () => {
    const health = assessVolumeHealth(
      input({
        storageLocations: [
          {
            name: 'default',
            phase: 'Unavailable',
            isDefault: true,
            message:
              'BackupStorageLocation "default" is unavailable: rpc error: code = Unknown desc = operation error S3: ListObjectsV2, exceeded maximum number of attempts, 3',
          },
        ],
      }),
    );
    expect(health.reason).toBe(
      "Backup storage location default is Unavailable (Velero's message under Backup storage)",
    );
  });

  it('says what happened when covered but not yet backed up', () => {
    expect(assessVolumeHealth(input({ backups: [] }))).toEqual({
      status: 'at-risk',
      reason:
        'Schedule daily covers it, but no run has backed it up since the claim was created',
    });
    expect(
      assessVolumeHealth(
        input({
          backups: [backup({ phase: 'InProgress', backupPhase: 'InProgress' })],
        }),
      ),
    ).toEqual({
      status: 'at-risk',
      reason: 'Backup daily-1 of it is InProgress; none has completed yet',
    });
  });

  it('is unprotected without a schedule, at risk with only a recent manual backup', () => {
    expect(assessVolumeHealth(input({ schedules: [], backups: [] }))).toEqual({
      status: 'unprotected',
      reason: 'No active Velero schedule includes namespace shop',
    });
    expect(assessVolumeHealth(input({ schedules: [] }))).toEqual({
      status: 'at-risk',
      reason:
        'Only a manual backup (daily-1, 2 h ago); no active Velero schedule includes namespace shop',
    });
  });

  it('names a paused schedule, and says node-local snapshots stay on the node', () => {
    expect(
      assessVolumeHealth(
        input({
          schedules: [],
          pausedSchedules: ['daily'],
          backups: [],
          localSnapshots: 2,
        }),
      ),
    ).toEqual({
      status: 'unprotected',
      reason:
        "Only 2 snapshots on the volume's own node: they stay on that node and are lost with it; schedule daily covering it is paused",
    });
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
