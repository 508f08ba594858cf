import { durationAgainstServiceLevel } from './restoreAnnouncer';

describe('durationAgainstServiceLevel', () => {
  const startedAt = '2026-12-02T10:00:00Z';

  it('measures a restore against the service level', () => {
    expect(
      durationAgainstServiceLevel(
        { startedAt, completedAt: '2026-12-02T10:00:42Z' },
        900,
      ),
    ).toBe('Took 42 s, within the 15 min service level.');
    expect(
      durationAgainstServiceLevel(
        { startedAt, completedAt: '2026-12-02T10:22:30Z' },
        900,
      ),
    ).toBe('Took 22 min 30 s, over the 15 min service level.');
  });

  it('says nothing before Velero has timed the restore', () => {
    expect(durationAgainstServiceLevel({ startedAt }, 900)).toBeUndefined();
  });
});
