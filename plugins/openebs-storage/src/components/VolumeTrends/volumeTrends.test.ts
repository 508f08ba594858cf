import { VolumeBackup } from '@openebs-portal/plugin-openebs-storage-common';
import { describeTrend, volumeTrends } from './volumeTrends';

const now = new Date('2026-12-03T12:00:00Z');

function backup(
  startedAt: string,
  overrides: Partial<VolumeBackup> = {},
): VolumeBackup {
  return {
    backupName: `daily-${startedAt}`,
    method: 'fs-backup',
    phase: 'Completed',
    backupPhase: 'Completed',
    startedAt,
    durationSeconds: 120,
    bytesDone: 1000,
    ...overrides,
  };
}

describe('volumeTrends', () => {
  it('charts finished backups of the window oldest first, with sizes and durations', () => {
    const trends = volumeTrends(
      [
        backup('2026-12-03T02:00:00Z', {
          bytesDone: 1500,
          durationSeconds: 90,
        }),
        backup('2026-12-02T02:00:00Z', { phase: 'InProgress' }),
        backup('2026-12-01T02:00:00Z', {
          totalBytes: 1200,
          bytesDone: undefined,
        }),
        backup('2026-10-01T02:00:00Z'),
        { ...backup('2026-11-30T02:00:00Z'), startedAt: undefined },
      ],
      now,
    );
    expect(trends.points).toEqual([
      {
        backupName: 'daily-2026-12-01T02:00:00Z',
        at: Date.parse('2026-12-01T02:00:00Z'),
        bytes: 1200,
        durationSeconds: 120,
        good: true,
      },
      {
        backupName: 'daily-2026-12-03T02:00:00Z',
        at: Date.parse('2026-12-03T02:00:00Z'),
        bytes: 1500,
        durationSeconds: 90,
        good: true,
      },
    ]);
    expect(trends.size).toEqual({ first: 1200, last: 1500 });
  });

  it('counts good and failed runs per day over every day of the window', () => {
    const trends = volumeTrends(
      [
        backup('2026-12-03T02:00:00Z'),
        backup('2026-12-03T08:00:00Z', { phase: 'Failed' }),
        backup('2026-12-02T02:00:00Z', { backupPhase: 'PartiallyFailed' }),
        // The first day of the window counts from its midnight.
        backup('2026-11-04T00:00:00Z'),
        backup('2026-11-03T23:59:00Z'),
      ],
      now,
    );
    expect(trends.days).toHaveLength(30);
    expect(trends.days[0]).toEqual({ day: '2026-11-04', good: 1, failed: 0 });
    expect(trends.days[28]).toEqual({ day: '2026-12-02', good: 0, failed: 1 });
    expect(trends.days[29]).toEqual({ day: '2026-12-03', good: 1, failed: 1 });
    expect(trends.days[10]).toEqual({ day: '2026-11-14', good: 0, failed: 0 });
    expect([trends.good, trends.finished]).toEqual([2, 4]);
  });

  it('says the rate and the size change in one line', () => {
    expect(
      describeTrend(
        volumeTrends(
          [
            backup('2026-12-03T02:00:00Z', { bytesDone: 3 * 1024 ** 3 }),
            backup('2026-12-02T02:00:00Z', { phase: 'Failed' }),
            backup('2026-12-01T02:00:00Z', { bytesDone: 2 * 1024 ** 3 }),
          ],
          now,
        ),
      ),
    ).toBe(
      '2 of 3 finished backups good in the last 30 days (67%) · size 2 GiB → 3 GiB (+50%)',
    );
    expect(
      describeTrend(volumeTrends([backup('2026-12-03T02:00:00Z')], now)),
    ).toBe('1 of 1 finished backups good in the last 30 days (100%)');
    // From an empty volume to real data: a factor, not +95828434%.
    expect(
      describeTrend(
        volumeTrends(
          [
            backup('2026-12-03T02:00:00Z', { bytesDone: 26.5 * 1048576 }),
            backup('2026-12-01T02:00:00Z', { bytesDone: 29 }),
          ],
          now,
        ),
      ),
    ).toBe(
      '2 of 2 finished backups good in the last 30 days (100%) · size 29 B → 26.5 MiB (×958182)',
    );
  });
});
