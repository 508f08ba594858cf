/*
 * What may be restored, and where to: the checks the UI makes before it
 * offers a restore. The backend makes them again (and more); these only
 * spare the user a request that is bound to be refused.
 */
import {
  ClusterStorage,
  StorageLocationSummary,
  VolumeBackup,
  VolumeStatus,
  openebsStorageRestoreAdminPermission,
  openebsStorageRestoreCreatePermission,
} from '@openebs-portal/plugin-openebs-storage-common';

/** Kubernetes namespace names are DNS-1123 labels. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAMESPACE_LENGTH = 63;

/** Why a namespace name is not valid; `undefined` when it is. */
export function namespaceNameProblem(name: string): string | undefined {
  if (name.length === 0) {
    return 'Enter the namespace the data should come back in.';
  }
  if (name.length > MAX_NAMESPACE_LENGTH) {
    return `At most ${MAX_NAMESPACE_LENGTH} characters (this one has ${name.length}).`;
  }
  if (!DNS1123_LABEL.test(name)) {
    return "Lowercase letters, digits and '-' only, starting and ending with a letter or digit.";
  }
  return undefined;
}

/**
 * A new namespace for the restored data, named after the source and the
 * time (UTC, like the backup schedules): `shop-restore-20261117-1200`. The
 * source part is shortened when the whole would exceed 63 characters.
 */
export function defaultTargetNamespace(namespace: string, now: Date): string {
  const stamp = now.toISOString(); // 2026-11-17T12:00:00.000Z
  const suffix = `-restore-${stamp.slice(0, 10).replace(/-/g, '')}-${stamp
    .slice(11, 16)
    .replace(':', '')}`;
  const prefix = namespace
    .slice(0, MAX_NAMESPACE_LENGTH - suffix.length)
    .replace(/-+$/, '');
  return `${prefix}${suffix}`;
}

/** Phases of a Backup or of a per-volume copy that are still running. */
const UNFINISHED_PHASES = new Set(
  [
    'New',
    'Queued',
    'Accepted',
    'Prepared',
    'InProgress',
    'WaitingForPluginOperations',
    'WaitingForPluginOperationsPartiallyFailed',
    'Finalizing',
    'FinalizingPartiallyFailed',
  ].map(phase => phase.toLocaleLowerCase('en-US')),
);

function isUnfinished(phase: string): boolean {
  return UNFINISHED_PHASES.has(phase.toLocaleLowerCase('en-US'));
}

/**
 * Why a volume cannot be restored from a backup; `undefined` when it can.
 * Velero restores from a Backup that is Completed or PartiallyFailed, and
 * the volume's own copy (PodVolumeBackup or DataUpload) must be Completed
 * for its data to be in the backup at all.
 */
export function backupProblem(
  volume: VolumeStatus,
  backup: VolumeBackup,
): string | undefined {
  const { backupName, backupPhase, phase } = backup;
  if (
    backupPhase &&
    backupPhase !== 'Completed' &&
    backupPhase !== 'PartiallyFailed'
  ) {
    return isUnfinished(backupPhase)
      ? `Backup ${backupName} has not finished (${backupPhase}): it can be restored once it is Completed.`
      : `Backup ${backupName} is ${backupPhase}: only a Completed or PartiallyFailed backup can be restored.`;
  }
  if (phase !== 'Completed') {
    return isUnfinished(phase)
      ? `The copy of ${volume.name} in backup ${backupName} has not finished (${phase}): it can be restored once it is Completed.`
      : `The copy of ${volume.name} in backup ${backupName} is ${phase}: the backup holds no data of it to restore.`;
  }
  return undefined;
}

/** The location a backup was written to: its own, or the cluster default. */
export function backupStorageLocation(
  backup: VolumeBackup,
  cluster: ClusterStorage | undefined,
): StorageLocationSummary | undefined {
  const locations = cluster?.storageLocations ?? [];
  return backup.storageLocation
    ? locations.find(location => location.name === backup.storageLocation)
    : locations.find(location => location.isDefault);
}

/** Why the backup cannot be read from its storage location right now. */
export function storageLocationProblem(
  backup: VolumeBackup,
  cluster: ClusterStorage | undefined,
): string | undefined {
  const location = backupStorageLocation(backup, cluster);
  if (location?.phase === 'Unavailable') {
    return `Backup storage location ${location.name} is Unavailable: restores cannot read the backup.`;
  }
  return undefined;
}

/** Why the user may not request restores of the entity. */
export function createPermissionProblem(entityRef: string): string {
  return `Restoring needs the ${openebsStorageRestoreCreatePermission.name} permission on ${entityRef}. Ask the entity's owners or your Backstage administrators to grant it.`;
}

/**
 * Said of a volume whose namespace has no owner recorded by the platform:
 * the backend lets only platform admins restore it.
 */
export const OWNER_NOT_RECORDED =
  'Owner not recorded: restores by platform admins only';

/** Why the user may not restore a volume whose namespace has no owner. */
export function ownerProblem(volume: VolumeStatus): string {
  return `${OWNER_NOT_RECORDED}. The platform records no owner for namespace ${volume.namespace}, so restoring from it needs the ${openebsStorageRestoreAdminPermission.name} permission.`;
}

/** A volume of the entity that a backup copied, with that copy. */
export interface RestoreCandidate {
  volume: VolumeStatus;
  copy: VolumeBackup;
}

/**
 * The entity's volumes that can come back together from a backup: those in
 * the same cluster and namespace that the backup copied. The volume the
 * restore was started from comes first.
 */
export function restoreCandidates(
  volume: VolumeStatus,
  backup: VolumeBackup,
  cluster: ClusterStorage | undefined,
): RestoreCandidate[] {
  const others = (cluster?.volumes ?? []).flatMap(other => {
    if (
      other.uid === volume.uid ||
      other.cluster !== volume.cluster ||
      other.namespace !== volume.namespace
    ) {
      return [];
    }
    const copy = other.backups.find(b => b.backupName === backup.backupName);
    return copy ? [{ volume: other, copy }] : [];
  });
  return [{ volume, copy: backup }, ...others];
}

/**
 * A fresh idempotency key. `crypto.randomUUID` exists only in secure
 * contexts (HTTPS or localhost); a portal served over plain HTTP falls back
 * to a version 4 UUID built from `crypto.getRandomValues`.
 */
export function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(
    12,
    16,
  )}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
