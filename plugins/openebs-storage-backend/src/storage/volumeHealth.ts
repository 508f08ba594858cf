import {
  formatDuration,
  Health,
  NodeHealth,
  ProtectionStatus,
  RecoveryPoint,
  ServiceLevels,
  StorageLocationSummary,
  VolumeBackup,
} from '@openebs-portal/plugin-openebs-storage-common';
import { hoursSince } from './durations';

export interface VolumeHealthInput {
  namespace: string;
  /** Newest first. */
  backups: VolumeBackup[];
  lastGoodBackup?: VolumeBackup;
  /** Names of the active schedules that cover the volume. */
  schedules: string[];
  /** Paused schedules that would cover it. */
  pausedSchedules?: string[];
  /** Judged by the most demanding active schedule (absent without one). */
  recoveryPoint?: RecoveryPoint;
  /** Why the newest scheduled run holds no copy of the volume, if it holds none. */
  skipped?: string;
  /** Snapshots kept on the volume's own node (LVM, ZFS), if any. */
  localSnapshots?: number;
  storageLocations: StorageLocationSummary[];
  /** Set when the cluster (or its Velero objects) could not be read. */
  unreadable?: string;
  /** The claim no longer exists; only its backups do. */
  deleted?: boolean;
  /** The node the data lives on, and whether it is alive. */
  node?: NodeHealth & { name: string };
  serviceLevels: ServiceLevels;
  now: Date;
}

const FAILED_PHASES = new Set([
  'Failed',
  'PartiallyFailed',
  'FailedValidation',
]);

function age(hours: number): string {
  return hours < 1 ? `${Math.round(hours * 60)} min` : `${Math.round(hours)} h`;
}

/**
 * A volume whose node is NotReady or gone: its data cannot be reached, and
 * what can be done is to restore its newest good backup elsewhere.
 */
function unreachable(
  node: NodeHealth & { name: string },
  lastGoodBackup: VolumeBackup | undefined,
): Health {
  const where =
    node.state === 'missing'
      ? `node ${node.name} no longer exists`
      : `node ${node.name} is NotReady${
          node.since ? ` since ${node.since}` : ''
        }`;
  const stuck = node.stuckPods.length
    ? `; pods stuck: ${node.stuckPods.join(', ')}`
    : '';
  const remedy = lastGoodBackup
    ? `. Restore its newest good backup ${lastGoodBackup.backupName} into a new namespace or in place (platform admins; owners with their approval), or wait for the node`
    : '. No good backup of it exists: only the node coming back brings the data back';
  return {
    status: 'at-risk',
    reason: `Data unreachable: ${where}${stuck}${remedy}`,
  };
}

/**
 * The protection of one volume, with the reason a developer can act on.
 * Rules (in order): unreadable or deleted → unknown; the data's node NotReady
 * or gone → at risk (unreachable); no active schedule → unprotected (or at
 * risk when only a manual backup exists); the newest scheduled run skipped
 * the volume, its newest attempt failed, no good backup yet, the recovery
 * point older than the schedule's newest due run, or an unavailable storage
 * location → at risk; otherwise protected.
 */
export function assessVolumeHealth(input: VolumeHealthInput): Health {
  const { backups, lastGoodBackup, schedules } = input;
  if (input.unreadable) {
    return { status: 'unknown', reason: input.unreadable };
  }
  if (input.deleted) {
    return {
      status: 'unknown',
      reason: lastGoodBackup
        ? `The claim was deleted; its last good backup ${lastGoodBackup.backupName} can be restored`
        : 'The claim was deleted, and no good backup of it remains',
    };
  }
  if (input.node && input.node.state !== 'ready') {
    return unreachable(input.node, lastGoodBackup);
  }
  if (schedules.length === 0) {
    return unscheduled(input);
  }
  if (input.skipped) {
    return { status: 'at-risk', reason: input.skipped };
  }
  const failed = newestFailure(backups);
  if (failed) return failed;
  const point = input.recoveryPoint;
  if (!lastGoodBackup) {
    return {
      status: 'at-risk',
      reason: backups[0]
        ? `Backup ${backups[0].backupName} of it is ${backups[0].phase}; none has completed yet`
        : `Schedule ${schedules.join(
            ', ',
          )} covers it, but no run has backed it up since the claim was created`,
    };
  }
  if (point?.invalid) {
    return {
      status: 'at-risk',
      reason: `Schedule ${point.schedule} cannot be read (${point.invalid}), so when it runs is unknown`,
    };
  }
  if (point?.overdue) {
    return {
      status: 'at-risk',
      reason: `Recovery point ${ago(point)} old: schedule ${point.schedule} (${
        point.cron
      }${every(point)}) was due to back it up at ${
        point.dueAt
      }; last good backup ${lastGoodBackup.backupName}`,
    };
  }
  const location = input.storageLocations.find(
    l => l.name === lastGoodBackup.storageLocation,
  );
  if (location && location.phase !== 'Available') {
    return {
      status: 'at-risk',
      // Velero's message runs to several hundred characters of SDK error;
      // the Backup storage card shows it whole, the volume names the card.
      reason: `Backup storage location ${location.name} is ${location.phase}${
        location.message ? " (Velero's message under Backup storage)" : ''
      }`,
    };
  }
  return {
    status: 'protected',
    reason: point
      ? `Schedule ${point.schedule}${every(point)}; last good backup ${
          lastGoodBackup.backupName
        } ${ago(point)} ago`
      : `Schedule ${schedules.join(', ')}; last good backup ${
          lastGoodBackup.backupName
        }`,
  };
}

function ago(point: RecoveryPoint): string {
  return point.ageSeconds === undefined
    ? 'of unknown age'
    : formatDuration(point.ageSeconds);
}

function every(point: RecoveryPoint): string {
  return point.intervalSeconds
    ? `, every ${formatDuration(point.intervalSeconds)}`
    : '';
}

function newestFailure(backups: VolumeBackup[]): Health | undefined {
  const newest = backups[0];
  const phase = [newest?.phase, newest?.backupPhase].find(p =>
    FAILED_PHASES.has(p ?? ''),
  );
  if (!newest || !phase) return undefined;
  return {
    status: 'at-risk',
    reason: `Newest backup ${newest.backupName} ${
      phase === 'PartiallyFailed' ? 'partially failed' : 'failed'
    }${newest.message ? `: ${newest.message}` : ''}`,
  };
}

/** No active schedule covers the volume: say what protection is left. */
function unscheduled(input: VolumeHealthInput): Health {
  const { lastGoodBackup, namespace, serviceLevels, now } = input;
  const goodAge = lastGoodBackup?.completedAt
    ? hoursSince(lastGoodBackup.completedAt, now)
    : undefined;
  const paused = input.pausedSchedules?.length
    ? `schedule ${input.pausedSchedules.join(', ')} covering it ${
        input.pausedSchedules.length === 1 ? 'is' : 'are'
      } paused`
    : `no active Velero schedule includes namespace ${namespace}`;
  if (
    lastGoodBackup &&
    goodAge !== undefined &&
    goodAge <= serviceLevels.maxBackupAgeHours
  ) {
    return {
      status: 'at-risk',
      reason: `Only a manual backup (${lastGoodBackup.backupName}, ${age(
        goodAge,
      )} ago); ${paused}`,
    };
  }
  if (input.localSnapshots) {
    return {
      status: 'unprotected',
      reason: `Only ${input.localSnapshots} snapshot${
        input.localSnapshots === 1 ? '' : 's'
      } on the volume's own node: they stay on that node and are lost with it; ${paused}`,
    };
  }
  return {
    status: 'unprotected',
    reason: paused.charAt(0).toUpperCase() + paused.slice(1),
  };
}

const SEVERITY: Record<ProtectionStatus, number> = {
  protected: 0,
  unknown: 1,
  'at-risk': 2,
  unprotected: 3,
};

/** The entity's health is its worst volume's, with counts in the reason. */
export function summariseHealth(
  volumes: Array<{ name: string; health: Health }>,
): Health | undefined {
  if (volumes.length === 0) return undefined;
  const worst = volumes.reduce((a, b) =>
    SEVERITY[b.health.status] > SEVERITY[a.health.status] ? b : a,
  ).health.status;
  const affected = volumes.filter(v => v.health.status === worst);
  if (worst === 'protected') {
    return {
      status: worst,
      reason: `All ${volumes.length} volume${
        volumes.length === 1 ? ' is' : 's are'
      } protected`,
    };
  }
  const names = affected.map(v => v.name).join(', ');
  return {
    status: worst,
    reason: `${affected.length} of ${volumes.length} volume${
      volumes.length === 1 ? '' : 's'
    } ${worst.replace('-', ' ')}: ${names}`,
  };
}
