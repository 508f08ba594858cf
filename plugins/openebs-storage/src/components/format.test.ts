import {
  formatAge,
  formatAgeSince,
  formatBytes,
  formatEngine,
  formatRelativeTime,
  formatTimestamp,
  isDeletedVolume,
  isLocalEngine,
} from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [10 * 1024 ** 3, '10 GiB'],
    [123.4 * 1024 ** 2, '123 MiB'],
    [2.25 * 1024 ** 4, '2.3 TiB'],
  ])('formats %p bytes as %p', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe('formatRelativeTime', () => {
  const now = new Date('2026-11-17T12:00:00Z');

  it('describes the past and the future', () => {
    expect(formatRelativeTime('2026-11-17T09:00:00Z', now)).toBe('3 h ago');
    expect(formatRelativeTime('2026-12-17T02:00:00Z', now)).toBe(
      'in 29 d 14 h',
    );
    expect(formatRelativeTime('2026-11-17T11:59:30Z', now)).toBe('just now');
  });

  it('returns unparseable input unchanged', () => {
    expect(formatRelativeTime('yesterday', now)).toBe('yesterday');
  });
});

describe('formatAge', () => {
  it.each([
    [0, '0 min'],
    [29, '0 min'],
    [45 * 60, '45 min'],
    [59 * 60 + 40, '60 min'],
    [3600, '1 h'],
    // As the backend words health reasons: whole hours, rounded.
    [9 * 3600 + 53 * 60, '10 h'],
    [25 * 3600, '25 h'],
    [30.4 * 3600, '30 h'],
  ])('words %p seconds as %p', (seconds, expected) => {
    expect(formatAge(seconds)).toBe(expected);
  });

  it('says how long ago a timestamp was', () => {
    const now = new Date('2026-11-17T12:00:00Z');
    expect(formatAgeSince('2026-11-17T02:07:00Z', now)).toBe('10 h ago');
    expect(formatAgeSince('2026-11-17T11:40:00Z', now)).toBe('20 min ago');
    expect(formatAgeSince('whenever', now)).toBe('whenever');
  });
});

describe('formatTimestamp', () => {
  it('prints minutes in UTC', () => {
    expect(formatTimestamp('2026-11-17T02:00:41Z')).toBe(
      '2026-11-17 02:00 UTC',
    );
    expect(formatTimestamp('nonsense')).toBe('nonsense');
  });
});

describe('engines', () => {
  it('names every engine and marks the local ones', () => {
    expect(formatEngine('openebs-hostpath')).toBe('OpenEBS hostpath');
    expect(formatEngine('openebs-lvm')).toBe('OpenEBS LVM');
    expect(formatEngine('openebs-zfs')).toBe('OpenEBS ZFS');
    expect(formatEngine('openebs-device')).toBe('OpenEBS device');
    expect(formatEngine('other')).toBe('not OpenEBS (migration candidate)');
    expect(formatEngine('unknown')).toBe('unknown (claim deleted)');
    expect(isDeletedVolume({ phase: 'Deleted' })).toBe(true);
    expect(isDeletedVolume({ phase: 'Bound' })).toBe(false);
    expect(isLocalEngine('openebs-hostpath')).toBe(true);
    expect(isLocalEngine('other')).toBe(false);
  });
});
