import { parseGoDuration, scheduleCadence } from './scheduleCadence';

const NOW = new Date('2026-12-02T10:30:00Z'); // a Wednesday
const GRACE = 360; // 6 min

describe('scheduleCadence', () => {
  it.each([
    ['0 * * * *', '2026-12-02T10:00:00.000Z', 3600],
    ['@hourly', '2026-12-02T10:00:00.000Z', 3600],
    ['0 2 * * *', '2026-12-02T02:00:00.000Z', 86400],
    ['@daily', '2026-12-02T00:00:00.000Z', 86400],
    ['0 3 * * 0', '2026-11-29T03:00:00.000Z', 7 * 86400],
    ['@weekly', '2026-11-29T00:00:00.000Z', 7 * 86400],
    ['*/15 * * * *', '2026-12-02T10:15:00.000Z', 900],
    ['CRON_TZ=Europe/Berlin 0 2 * * *', '2026-12-02T01:00:00.000Z', 86400],
  ])('%s: last due run %s, every %i s', (cron, dueAt, intervalSeconds) => {
    expect(scheduleCadence(cron, NOW, GRACE)).toEqual({
      dueAt: new Date(dueAt),
      intervalSeconds,
    });
  });

  it('does not expect a run younger than the grace to have finished', () => {
    // 10:03 is within 6 min of 10:00: the 09:00 run is the one due.
    const at = new Date('2026-12-02T10:03:00Z');
    expect(scheduleCadence('0 * * * *', at, GRACE)).toMatchObject({
      dueAt: new Date('2026-12-02T09:00:00Z'),
    });
  });

  it('gives working days their own gaps (Friday to Monday is three days)', () => {
    const monday = new Date('2026-11-30T12:00:00Z');
    expect(scheduleCadence('0 2 * * 1-5', monday, GRACE)).toEqual({
      dueAt: new Date('2026-11-30T02:00:00Z'),
      intervalSeconds: 3 * 86400,
    });
  });

  it('@every runs relative to the previous backup: due one period plus the grace ago', () => {
    expect(scheduleCadence('@every 6h', NOW, GRACE)).toEqual({
      dueAt: new Date(NOW.getTime() - (6 * 3600 + GRACE) * 1000),
      intervalSeconds: 6 * 3600,
    });
  });

  it.each([
    ['0 0 2 * * *', 'is not a five-field cron expression'],
    ['bogus', 'is not a five-field cron expression'],
    ['61 * * * *', '"61 * * * *"'],
    ['@every soon', '"soon" is not a duration'],
  ])('says why %s cannot be judged', (cron, message) => {
    const cadence = scheduleCadence(cron, NOW, GRACE);
    expect('invalid' in cadence && cadence.invalid).toContain(message);
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['1h30m', 5400],
    ['90s', 90],
    ['24h', 86400],
    ['1.5h', 5400],
    ['500ms', 0.5],
  ])('%s is %d s', (text, seconds) => {
    expect(parseGoDuration(text)).toBe(seconds);
  });

  it.each(['', 'h', '1d', '1h 30m', '-1h'])('refuses %j', text => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
