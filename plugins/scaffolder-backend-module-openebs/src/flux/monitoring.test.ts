import { scheduleIntervalSeconds } from './monitoring';

describe('scheduleIntervalSeconds', () => {
  it.each([
    ['0 2 * * *', 86_400],
    ['0 3 * * 0', 7 * 86_400],
    ['*/15 * * * *', 900],
    // Weekdays only: Friday's run waits three days for Monday's.
    ['0 2 * * 1-5', 3 * 86_400],
    ['@every 6h', 6 * 3600],
    ['@every 1h30m', 5400],
  ])('%p runs at most every %p s', (cron, seconds) => {
    expect(scheduleIntervalSeconds(cron)).toBe(seconds);
  });
});
