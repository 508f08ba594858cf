import {
  VolumeBackup,
  formatBytes,
} from '@openebs-portal/plugin-openebs-storage-common';

const DAY_MS = 86_400_000;

/** One finished backup of a volume, as a point on the trend charts. */
export interface BackupPoint {
  backupName: string;
  /** Start time, epoch milliseconds (the charts' x axis). */
  at: number;
  /** Bytes of the volume in this backup, when Velero reported them. */
  bytes?: number;
  durationSeconds?: number;
  good: boolean;
}

/** Finished backups of one calendar day (UTC). */
export interface DayOutcome {
  /** `YYYY-MM-DD`. */
  day: string;
  good: number;
  failed: number;
}

/** What the trend charts and their one-line summary show for a volume. */
export interface VolumeTrendData {
  windowDays: number;
  /** Oldest first, only finished backups that started inside the window. */
  points: BackupPoint[];
  /** Every day of the window, oldest first, so gaps show as gaps. */
  days: DayOutcome[];
  good: number;
  finished: number;
  /** Bytes of the oldest and newest sized good backups in the window. */
  size?: { first: number; last: number };
}

/**
 * Runs still moving say nothing about success yet; only finished ones are
 * counted. A run is good when its volume copy and its Backup both completed
 * (a copy whose Backup is unknown proves nothing), the same test as the
 * volume's "last good backup".
 */
const FINISHED = new Set([
  'Completed',
  'PartiallyFailed',
  'Failed',
  'Canceled',
]);

function isGood(backup: VolumeBackup): boolean {
  return backup.phase === 'Completed' && backup.backupPhase === 'Completed';
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A volume's backups over the last `windowDays`: size and duration per
 * backup, and good against failed per day. Velero deletes backups when their
 * TTL ends, so the window only holds what is still kept.
 */
export function volumeTrends(
  backups: VolumeBackup[],
  now: Date,
  windowDays = 30,
): VolumeTrendData {
  // From the start of the oldest day shown, so every point has its day.
  const from = Date.parse(dayOf(now.getTime() - (windowDays - 1) * DAY_MS));
  const points = backups
    .filter(b => b.startedAt && FINISHED.has(b.phase))
    .map(b => ({ backup: b, at: Date.parse(b.startedAt!) }))
    .filter(({ at }) => at >= from && at <= now.getTime())
    .sort((a, b) => a.at - b.at)
    .map(
      ({ backup, at }): BackupPoint => ({
        backupName: backup.backupName,
        at,
        bytes: backup.bytesDone ?? backup.totalBytes,
        durationSeconds: backup.durationSeconds,
        good: isGood(backup),
      }),
    );

  const days = new Map<string, DayOutcome>();
  for (let i = windowDays - 1; i >= 0; i--) {
    const day = dayOf(now.getTime() - i * DAY_MS);
    days.set(day, { day, good: 0, failed: 0 });
  }
  for (const point of points) {
    const outcome = days.get(dayOf(point.at));
    if (outcome) outcome[point.good ? 'good' : 'failed'] += 1;
  }

  const sized = points.filter(p => p.good && p.bytes !== undefined);
  return {
    windowDays,
    points,
    days: Array.from(days.values()),
    good: points.filter(p => p.good).length,
    finished: points.length,
    size:
      sized.length > 0
        ? { first: sized[0].bytes!, last: sized[sized.length - 1].bytes! }
        : undefined,
  };
}

/** The trend in one line, for those who would rather read (and for screen readers). */
export function describeTrend(trends: VolumeTrendData): string {
  const { good, finished, windowDays, size } = trends;
  const rate = Math.round((good / finished) * 100);
  const parts = [
    `${good} of ${finished} finished backups good in the last ${windowDays} days (${rate}%)`,
  ];
  if (size && trends.points.filter(p => p.good).length > 1) {
    parts.push(
      `size ${formatBytes(size.first)} → ${formatBytes(size.last)}${sizeChange(
        size.first,
        size.last,
      )}`,
    );
  }
  return parts.join(' · ');
}

/** `(+17%)`; `(×900)` when a percentage would be too large to read. */
function sizeChange(first: number, last: number): string {
  if (first <= 0) return '';
  const ratio = last / first;
  if (ratio >= 10) return ` (×${Math.round(ratio)})`;
  const percent = Math.round((ratio - 1) * 100);
  return ` (${percent >= 0 ? '+' : ''}${percent}%)`;
}
