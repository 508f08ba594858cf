import { StorageLocationSummary } from '@openebs-portal/plugin-openebs-storage-common';

/*
 * The objects the plugin mirrors, each reduced to the fields it reads.
 * Timestamps stay ISO strings as the API server sends them.
 */

export interface PodRecord {
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  nodeName?: string;
  /** The pod's controller (`StatefulSet/db`, `ReplicaSet/web-5d9f`), if any. */
  controller?: string;
  claimNames: string[];
  /** Pod volume name → claim name; PodVolumeRestores name the pod volume. */
  claimByVolume: Record<string, string>;
  /** `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`. */
  phase?: string;
  /** The Ready condition is True. */
  ready?: boolean;
  /** Being deleted (a pod on a dead node stays so until the node returns). */
  terminating: boolean;
  /**
   * Pod volumes opted out of Velero's file-system backup by the pod's
   * `backup.velero.io/backup-volumes-excludes` annotation; absent if none.
   */
  fsBackupExcludes?: string[];
}

export interface NodeRecord {
  uid: string;
  name: string;
  /** The Ready condition's status: `True`, `False` or `Unknown`. */
  ready?: string;
  /** When the Ready condition last changed. */
  readySince?: string;
}

export interface NamespaceRecord {
  uid: string;
  name: string;
  labels: Record<string, string>;
  /** All but kubectl's last-applied copy of the object, which can be large. */
  annotations: Record<string, string>;
  phase?: string;
}

export interface RestoreRecord {
  uid: string;
  name: string;
  requestId?: string;
  phase: string;
  startedAt?: string;
  completedAt?: string;
  warnings?: number;
  errors?: number;
  failureReason?: string;
}

/** A PodVolumeRestore or DataDownload: one volume's data coming back. */
export interface VolumeRestoreRecord {
  uid: string;
  restoreName?: string;
  /** For PodVolumeRestores: the pod and its volume; the claim is found through the pod. */
  podNamespace?: string;
  podName?: string;
  podVolume?: string;
  /** For DataDownloads: the target claim directly. */
  claimNamespace?: string;
  claimName?: string;
  node?: string;
  phase: string;
  startedAt?: string;
  completedAt?: string;
  bytesDone?: number;
  totalBytes?: number;
  message?: string;
}

export interface ClaimRecord {
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  storageClass?: string;
  phase: string;
  requested?: string;
  provisioned?: string;
  volumeName?: string;
  selectedNode?: string;
  createdAt?: string;
}

export interface VolumeRecord {
  uid: string;
  name: string;
  node?: string;
  createdAt?: string;
  csiDriver?: string;
  /** A `hostPath` volume: Velero's file-system backup skips those. */
  hostPath?: boolean;
}

export interface StorageClassRecord {
  uid: string;
  name: string;
  provisioner: string;
  /** OpenEBS LocalPV's `StorageType` (hostpath or device) from cas.openebs.io/config. */
  casStorageType?: string;
}

export interface SnapshotClassRecord {
  uid: string;
  name: string;
  driver: string;
}

export interface SnapshotRecord {
  uid: string;
  namespace: string;
  name: string;
  claimName?: string;
  className?: string;
  readyToUse: boolean;
  restoreSize?: string;
  createdAt?: string;
  error?: string;
}

export interface BackupRecord {
  uid: string;
  name: string;
  phase: string;
  scheduleName?: string;
  storageLocation?: string;
  startedAt?: string;
  completedAt?: string;
  expiresAt?: string;
  warnings?: number;
  errors?: number;
}

/** A PodVolumeBackup or a DataUpload: one volume's share of a backup. */
export interface VolumeBackupRecord {
  uid: string;
  method: 'fs-backup' | 'data-mover';
  /** Full backup name (owner reference or tag); the label may be shortened. */
  backupName?: string;
  /** The `velero.io/backup-name` label: shortened by Velero past 63 chars. */
  backupLabel?: string;
  claimUid?: string;
  claimNamespace?: string;
  claimName?: string;
  /** For PodVolumeBackups: the pod whose volume was backed up. */
  podName?: string;
  phase: string;
  startedAt?: string;
  completedAt?: string;
  bytesDone?: number;
  totalBytes?: number;
  message?: string;
}

export interface ScheduleRecord {
  uid: string;
  name: string;
  cron: string;
  paused: boolean;
  phase?: string;
  ttl?: string;
  lastBackupAt?: string;
  storageLocation?: string;
  includedNamespaces: string[];
  excludedNamespaces: string[];
  labelSelector?: Record<string, any>;
  orLabelSelectors?: Record<string, any>[];
}

export type StorageLocationRecord = StorageLocationSummary & {
  uid: string;
  /**
   * PEM of the CA the object store's certificate is signed by
   * (`spec.objectStorage.caCert`), for downloads Velero hands out.
   */
  caCert?: string;
};
