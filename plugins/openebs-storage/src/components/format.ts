import {
  formatBytes,
  formatDuration,
  StorageEngine,
} from '@openebs-portal/plugin-openebs-storage-common';

// Durations and sizes are worded the same in the tab and in the backend's
// notifications and drill evidence, so the formatters live in the common
// package.
export { formatBytes, formatDuration };

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/**
 * A timestamp relative to now: `3 h ago` for the past, `in 29 d` for the
 * future (backup expiry).
 */
export function formatRelativeTime(
  iso: string,
  now: Date = new Date(),
): string {
  const seconds = (now.getTime() - Date.parse(iso)) / 1000;
  if (Number.isNaN(seconds)) {
    return iso;
  }
  if (Math.abs(seconds) < 60) {
    return 'just now';
  }
  return seconds > 0
    ? `${formatDuration(seconds)} ago`
    : `in ${formatDuration(-seconds)}`;
}

/**
 * The age of a backup as the backend words it in health reasons: whole
 * minutes below an hour, whole hours above (`45 min`, `10 h`, `30 h`), so
 * that the "Last good backup" column and the reason beside it agree, and
 * ages compare directly with the maximum backup age (in hours).
 */
export function formatAge(seconds: number): string {
  const total = Math.max(0, seconds);
  return total < HOUR
    ? `${Math.round(total / MINUTE)} min`
    : `${Math.round(total / HOUR)} h`;
}

/** How long ago a timestamp was, as {@link formatAge} words it. */
export function formatAgeSince(iso: string, now: Date = new Date()): string {
  const seconds = (now.getTime() - Date.parse(iso)) / 1000;
  return Number.isNaN(seconds) ? iso : `${formatAge(seconds)} ago`;
}

/**
 * An absolute timestamp in UTC, e.g. `2026-11-17 02:00 UTC`. UTC because the
 * backup schedules are defined in UTC (daily 02:00 UTC).
 */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const engineLabels: Record<StorageEngine, string> = {
  'openebs-hostpath': 'OpenEBS hostpath',
  'openebs-lvm': 'OpenEBS LVM',
  'openebs-zfs': 'OpenEBS ZFS',
  'openebs-device': 'OpenEBS device',
  other: 'not OpenEBS (migration candidate)',
  unknown: 'unknown (claim deleted)',
};

/** The storage engine as people say it. */
export function formatEngine(engine: StorageEngine): string {
  return engineLabels[engine] ?? engine;
}

/**
 * Whether the engine keeps a volume's data on a single node (every OpenEBS
 * LocalPV engine does): losing that node loses the data, so the UI stresses
 * where it lives.
 */
export function isLocalEngine(engine: StorageEngine): boolean {
  return engine !== 'other';
}

/**
 * Velero's warning and error counts of a backup or restore, e.g.
 * `2 warnings, 1 error`; `undefined` when there are none.
 */
export function formatIssueCounts(counts: {
  warnings?: number;
  errors?: number;
}): string | undefined {
  const plural = (count: number, noun: string) =>
    `${count} ${noun}${count === 1 ? '' : 's'}`;
  const parts = [
    counts.warnings ? plural(counts.warnings, 'warning') : undefined,
    counts.errors ? plural(counts.errors, 'error') : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * Whether a volume is a deleted claim: gone from the cluster, known only
 * from its backups (phase `Deleted`, engine `unknown`), and restorable in
 * place from them.
 */
export function isDeletedVolume(volume: { phase: string }): boolean {
  return volume.phase === 'Deleted';
}
