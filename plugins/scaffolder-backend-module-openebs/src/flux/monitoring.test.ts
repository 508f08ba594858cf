import {
  durationSeconds,
  scheduleIntervalSeconds,
  veleroAlertRules,
} from './monitoring';

describe('scheduleIntervalSeconds', () => {
  it.each([
    ['0 2 * * *', 86_400],
    ['0 3 * * 0', 7 * 86_400],
    ['*/15 * * * *', 900],
    // Weekdays only: Friday's run waits three days for Monday's.
    ['0 2 * * 1-5', 3 * 86_400],
    ['@every 6h', 6 * 3600],
    ['@every 1h30m', 5400],
    ['@every 1.5h', 5400],
  ])('%p runs at most every %p s', (cron, seconds) => {
    expect(scheduleIntervalSeconds(cron)).toBe(seconds);
  });
});

describe('durationSeconds', () => {
  it.each([
    ['1h', 3600],
    ['2m', 120],
    ['1h30m', 5400],
    ['2d', 172_800],
    ['1w', 604_800],
    ['1y', 31_536_000],
    ['90s', 90],
    ['1m500ms', 61],
  ])('%p is %p s', (duration, seconds) => {
    expect(durationSeconds(duration)).toBe(seconds);
  });
});

describe('veleroAlertRules', () => {
  const rules = (grace: string) =>
    Object.fromEntries(
      veleroAlertRules({
        veleroNamespace: 'velero',
        schedules: [{ name: 'velero-daily', cron: '0 2 * * *' }],
        grace,
      })
        .filter(r => 'alert' in r)
        .map(r => [(r as { alert: string }).alert, r]),
    );

  it("gives a schedule its interval plus the platform's grace before it is late", () => {
    const late = rules('2m');
    // Recorded intervals plus 120 s; unrecorded ones a day plus 120 s.
    expect(late.VeleroNoRecentBackup.expr).toContain(
      'velero:schedule_interval_seconds + 120)',
    );
    expect(late.VeleroNoRecentBackup.expr).toMatch(/> 86520$/);
    expect(late.VeleroNoRecentBackup.annotations.summary).toContain(
      'within its interval plus 2m',
    );
    expect(late.VeleroScheduledBackupMissing.expr).toBe(
      'absent_over_time(velero_backup_last_successful_timestamp{schedule="velero-daily"}[86520s])',
    );
  });

  it('keeps an hour by default, as the plan asks', () => {
    const late = rules('1h');
    expect(late.VeleroNoRecentBackup.expr).toContain(
      'velero:schedule_interval_seconds + 3600)',
    );
    expect(late.VeleroScheduledBackupMissing.expr).toContain('[90000s]');
  });
});
