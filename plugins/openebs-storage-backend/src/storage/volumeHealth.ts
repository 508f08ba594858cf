import {
  Health,
  NodeHealth,
  ProtectionStatus,
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
 * or gone → at risk (unreachable); no schedule → unprotected (or at
 * risk when only a manual backup exists); newest attempt failed, no good
 * backup yet, a stale good backup or an unavailable storage location → at
 * risk; otherwise protected.
 */
export function assessVolumeHealth(input: VolumeHealthInput): Health {
  const { backups, lastGoodBackup, schedules, serviceLevels, now } = input;
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
  const goodAge = lastGoodBackup?.completedAt
    ? hoursSince(lastGoodBackup.completedAt, now)
    : undefined;
  const fresh =
    goodAge !== undefined && goodAge <= serviceLevels.maxBackupAgeHours;

  if (schedules.length === 0) {
    if (lastGoodBackup && fresh) {
      return {
        status: 'at-risk',
        reason: `Only a manual backup (${lastGoodBackup.backupName}, ${age(
          goodAge!,
        )} ago); no active Velero schedule includes namespace ${
          input.namespace
        }`,
      };
    }
    return {
      status: 'unprotected',
      reason: `No active Velero schedule includes namespace ${input.namespace}`,
    };
  }

  const newest = backups[0];
  if (
    newest &&
    (FAILED_PHASES.has(newest.phase) ||
      FAILED_PHASES.has(newest.backupPhase ?? ''))
  ) {
    const phase = FAILED_PHASES.has(newest.phase)
      ? newest.phase
      : newest.backupPhase;
    return {
      status: 'at-risk',
      reason: `Newest backup ${newest.backupName} ${
        phase === 'PartiallyFailed' ? 'partially failed' : 'failed'
      }${newest.message ? `: ${newest.message}` : ''}`,
    };
  }
  if (!lastGoodBackup || goodAge === undefined) {
    return {
      status: 'at-risk',
      reason: `Schedule ${schedules.join(
        ', ',
      )} covers it, but no backup of this volume has completed yet`,
    };
  }
  if (!fresh) {
    return {
      status: 'at-risk',
      reason: `Last good backup ${lastGoodBackup.backupName} is ${age(
        goodAge,
      )} old (limit ${serviceLevels.maxBackupAgeHours} h)`,
    };
  }
  const location = input.storageLocations.find(
    l => l.name === lastGoodBackup.storageLocation,
  );
  if (location && location.phase !== 'Available') {
    return {
      status: 'at-risk',
      reason: `Backup storage location ${location.name} is ${location.phase}${
        location.message ? `: ${location.message}` : ''
      }`,
    };
  }
  return {
    status: 'protected',
    reason: `Schedule ${schedules.join(', ')}; last good backup ${
      lastGoodBackup.backupName
    } ${age(goodAge)} ago`,
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
