import {
  RestoreDrill,
  RestoreRequest,
} from '@openebs-portal/plugin-openebs-storage-common';

/** One measured recovery on the chart: a drill's or a user's restore. */
export interface RecoveryPoint {
  /** When it finished, epoch milliseconds. */
  at: number;
  drillSeconds?: number;
  restoreSeconds?: number;
}

/**
 * The entity's measured recoveries, oldest first: drills by their recovery
 * time (Restore created → pods Ready), users' restores by Velero's own
 * duration. Those not measured (still running, refused) are left out.
 */
export function recoveryTimes(
  drills: RestoreDrill[],
  restores: RestoreRequest[] = [],
): RecoveryPoint[] {
  const points: RecoveryPoint[] = [
    ...drills
      .filter(d => d.recoverySeconds !== undefined)
      .map(d => ({
        at: Date.parse(d.finishedAt ?? d.queuedAt),
        drillSeconds: d.recoverySeconds,
      })),
    ...restores
      .filter(r => r.durationSeconds !== undefined && r.completedAt)
      .map(r => ({
        at: Date.parse(r.completedAt!),
        restoreSeconds: r.durationSeconds,
      })),
  ];
  return points.sort((a, b) => a.at - b.at);
}
