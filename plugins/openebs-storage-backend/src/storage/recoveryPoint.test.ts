import { VolumeBackup } from '@openebs-portal/plugin-openebs-storage-common';
import { assessRecoveryPoint } from './recoveryPoint';

const now = new Date('2026-12-02T10:30:00Z');
const good: VolumeBackup = {
  backupName: 'b',
  method: 'fs-backup',
  phase: 'Completed',
  backupPhase: 'Completed',
  startedAt: '2026-12-02T09:00:05Z',
  completedAt: '2026-12-02T09:01:00Z',
};

describe('assessRecoveryPoint', () => {
  it('judges against the schedule whose due run is newest', () => {
    const point = assessRecoveryPoint({
      schedules: [
        { name: 'daily', cron: '0 2 * * *' },
        { name: 'hourly', cron: '0 * * * *' },
      ],
      lastGoodBackup: good,
      backupSeconds: 300,
      now,
    });
    // Due at 10:00 (10:30 is past the 6 min grace); the copy is from 09:00.
    expect(point).toEqual({
      schedule: 'hourly',
      cron: '0 * * * *',
      intervalSeconds: 3600,
      dueAt: '2026-12-02T10:00:00Z',
      at: '2026-12-02T09:00:05Z',
      ageSeconds: 5395,
      overdue: true,
    });
  });

  it('is overdue without any good backup, and absent without a schedule', () => {
    expect(
      assessRecoveryPoint({
        schedules: [{ name: 'daily', cron: '0 2 * * *' }],
        backupSeconds: 300,
        now,
      }),
    ).toMatchObject({ overdue: true, at: undefined, ageSeconds: undefined });
    expect(
      assessRecoveryPoint({
        schedules: [],
        lastGoodBackup: good,
        backupSeconds: 300,
        now,
      }),
    ).toBeUndefined();
  });

  it('owes no backup for a run before the claim existed, unless an older backup of it does', () => {
    const daily = [{ name: 'daily', cron: '0 2 * * *' }];
    // Created at 09:00, after the 02:00 run: nothing is owed until tomorrow.
    expect(
      assessRecoveryPoint({
        schedules: daily,
        volumeCreatedAt: '2026-12-02T09:00:00Z',
        backupSeconds: 300,
        now,
      }),
    ).toMatchObject({ dueAt: '2026-12-02T02:00:00Z', overdue: false });
    // There at 02:00 and never backed up: overdue.
    expect(
      assessRecoveryPoint({
        schedules: daily,
        volumeCreatedAt: '2026-12-02T01:59:59Z',
        backupSeconds: 300,
        now,
      }),
    ).toMatchObject({ overdue: true });
    // Re-created at 09:00 (a restore), its data from a backup of yesterday.
    expect(
      assessRecoveryPoint({
        schedules: daily,
        volumeCreatedAt: '2026-12-02T09:00:00Z',
        lastGoodBackup: { ...good, startedAt: '2026-12-01T02:00:10Z' },
        backupSeconds: 300,
        now,
      }),
    ).toMatchObject({ overdue: true });
  });

  it('says a cron it cannot read is unread, rather than guessing', () => {
    expect(
      assessRecoveryPoint({
        schedules: [{ name: 'odd', cron: '0 0 2 * * *' }],
        lastGoodBackup: good,
        backupSeconds: 300,
        now,
      }),
    ).toMatchObject({
      schedule: 'odd',
      overdue: false,
      invalid: '"0 0 2 * * *" is not a five-field cron expression',
    });
  });
});
