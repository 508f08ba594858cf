import { StorageAlert } from './alerts';
import { ServiceLevels } from './serviceLevels';

/**
 * How well a volume (or an entity) is protected by backups.
 *
 * - `protected`: a schedule covers it and its last good backup is recent.
 * - `at-risk`: covered, but the last good backup is stale, or the newest
 *   backup failed or partially failed, or the storage location is down.
 * - `unprotected`: nothing covers it.
 * - `unknown`: the cluster holding it could not be read.
 *
 * @public
 */
export type ProtectionStatus =
  | 'protected'
  | 'at-risk'
  | 'unprotected'
  | 'unknown';

/** @public */
export interface Health {
  status: ProtectionStatus;
  /** One sentence a developer can act on. */
  reason: string;
}

/**
 * The storage engine behind a StorageClass.
 *
 * `other` is any class not served by OpenEBS: a candidate for migration.
 *
 * @public
 */
export type StorageEngine =
  | 'openebs-hostpath'
  | 'openebs-device'
  | 'openebs-lvm'
  | 'openebs-zfs'
  | 'other'
  /** A deleted claim known only from its backups. */
  | 'unknown';

/** @public */
export interface VolumeSnapshotSummary {
  name: string;
  className?: string;
  readyToUse: boolean;
  restoreSize?: string;
  createdAt?: string;
  error?: string;
}

/**
 * A Velero backup as it touched one volume: a PodVolumeBackup (file-system
 * backup) or a DataUpload (CSI snapshot data movement).
 *
 * @public
 */
export interface VolumeBackup {
  backupName: string;
  /** `fs-backup` for PodVolumeBackup, `data-mover` for DataUpload. */
  method: 'fs-backup' | 'data-mover';
  /** Phase of the per-volume object (PodVolumeBackup / DataUpload). */
  phase: string;
  /** Phase of the Backup as a whole, when the Backup object is known. */
  backupPhase?: string;
  scheduleName?: string;
  storageLocation?: string;
  startedAt?: string;
  completedAt?: string;
  durationSeconds?: number;
  /** Whether the duration is within the backup service level. */
  withinServiceLevel?: boolean;
  bytesDone?: number;
  totalBytes?: number;
  expiresAt?: string;
  message?: string;
  /** Warnings and errors counted on the Backup. */
  warnings?: number;
  errors?: number;
}

/**
 * The state of the node a local volume's data lives on. `not-ready`: its
 * kubelet stopped reporting (Ready False or Unknown); `missing`: no Node
 * object of that name (deleted). Either way the data cannot be reached until
 * the node returns, and the pods that use it are stuck.
 *
 * @public
 */
export interface NodeHealth {
  state: 'ready' | 'not-ready' | 'missing';
  /** When the node's Ready condition last changed (not-ready: since when). */
  since?: string;
  /** The volume's pods that cannot run because of it (on or bound to the node, not running). */
  stuckPods: string[];
}

/**
 * A volume's recovery point against its schedule: the newest good backup's
 * age, and whether the schedule's newest due run has produced a newer one.
 * Where several schedules cover the volume, the one with the latest due run
 * (the most demanding) is the one judged against.
 *
 * @public
 */
export interface RecoveryPoint {
  /** The schedule judged against, and its `spec.schedule`. */
  schedule: string;
  cron: string;
  /** The schedule's period around its newest due run, in seconds. */
  intervalSeconds?: number;
  /** The newest run whose backup should have finished by now. */
  dueAt?: string;
  /** When the newest good backup read the volume (its start). */
  at?: string;
  /** Age of that recovery point now, in seconds. */
  ageSeconds?: number;
  /**
   * No good backup of the volume started at or after `dueAt`; a volume
   * created after `dueAt` and never backed up is not overdue yet.
   */
  overdue: boolean;
  /** Set when the schedule's cron cannot be read; nothing is judged then. */
  invalid?: string;
}

/** @public */
export interface VolumeStatus {
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  storageClass?: string;
  engine: StorageEngine;
  /** Whether the class is a CSI driver with a VolumeSnapshotClass. */
  canSnapshot: boolean;
  /**
   * `Bound`, `Pending`, `Lost` as Kubernetes says, or `Deleted`: the claim is
   * gone but backups of it remain (what an in-place restore brings back).
   */
  phase: string;
  requested?: string;
  provisioned?: string;
  volumeName?: string;
  /** The node that holds the data of a local volume. */
  node?: string;
  /**
   * Whether that node is alive, from the watched Node objects; absent when
   * the volume has no node or the nodes could not be read.
   */
  nodeHealth?: NodeHealth;
  pods: string[];
  createdAt?: string;
  /** Claim created → volume provisioned, in seconds. */
  provisioningSeconds?: number;
  provisioningWithinServiceLevel?: boolean;
  snapshots: VolumeSnapshotSummary[];
  /** Newest first. */
  backups: VolumeBackup[];
  lastGoodBackup?: VolumeBackup;
  /** Names of the schedules whose scope includes this volume. */
  schedules: string[];
  /**
   * How much data could be lost now, judged by the schedule that protects
   * the volume; absent when no active schedule covers it.
   */
  recoveryPoint?: RecoveryPoint;
  health: Health;
  /**
   * Who the platform records as the owner of the volume's namespace (an
   * entity ref, from the Namespace object, never from the catalog).
   * `undefined` when nothing is recorded: such volumes are shown, but only
   * platform admins may restore them.
   */
  namespaceOwner?: string;
}

/** @public */
export interface ScheduleSummary {
  name: string;
  cron: string;
  paused: boolean;
  ttl?: string;
  phase?: string;
  lastBackupAt?: string;
  storageLocation?: string;
  /** The entity namespaces this schedule includes. */
  coversNamespaces: string[];
}

/** @public */
export interface StorageLocationSummary {
  name: string;
  phase: string;
  isDefault: boolean;
  provider?: string;
  bucket?: string;
  lastValidatedAt?: string;
  message?: string;
}

/**
 * Why a cluster's data is missing or incomplete. Returned as data, never
 * thrown, so one cluster never blanks the page.
 *
 * @public
 */
export interface ClusterError {
  reason: 'unreachable' | 'forbidden' | 'not-synced' | 'error';
  message: string;
  /** The resource that could not be read, e.g. `velero.io/v1 backups`. */
  resource?: string;
}

/** @public */
export interface ClusterStorage {
  cluster: string;
  /** The namespaces attributed to the entity (never another owner's). */
  namespaces: string[];
  volumes: VolumeStatus[];
  schedules: ScheduleSummary[];
  storageLocations: StorageLocationSummary[];
  errors: ClusterError[];
  /**
   * The cluster's OpenEBS LocalPV hostpath classes: where a claim on
   * another class can be migrated (absent from older backends).
   */
  migrationTargets?: string[];
  /**
   * Firing alerts about the entity's volumes, its backups' locations and
   * schedules, or Velero itself; absent when no Alertmanager is configured
   * for the cluster.
   */
  alerts?: StorageAlert[];
  /**
   * Volumes the entity's annotations matched in namespaces the platform
   * records as another owner's: left out, and only counted here.
   */
  withheld?: WithheldVolumes;
  /**
   * CloudNativePG clusters whose volumes are among the entity's, with their
   * WAL archive's state; absent where CloudNativePG is not installed (or
   * from older backends).
   */
  databases?: PostgresClusterStatus[];
}

/**
 * A CloudNativePG Cluster of the entity: its instances, where its data
 * lives, and whether its WAL archive (the Barman Cloud plugin) can bring it
 * back.
 *
 * @public
 */
export interface PostgresClusterStatus {
  namespace: string;
  name: string;
  instances: number;
  readyInstances: number;
  /** CloudNativePG's phase, such as "Cluster in healthy state". */
  phase?: string;
  phaseReason?: string;
  currentPrimary?: string;
  storageClass?: string;
  /**
   * The cluster's claims, as CloudNativePG lists them in its status. The
   * operator makes and replaces them itself: they move with the cluster's
   * migration plan, never one by one.
   */
  claims: string[];
  /**
   * A replica cluster: it follows another cluster's primary (as the new
   * one does during a migration until the switchover), so it takes no
   * writes.
   */
  replicaOf?: string;
  /** The WAL archive; absent when the cluster archives nowhere. */
  archive?: PostgresArchiveStatus;
}

/**
 * The portal's proposal for moving a CloudNativePG Cluster onto an OpenEBS
 * class by streaming replication: the manifests to commit (YAML) and the
 * switchover's commands.
 *
 * @public
 */
export interface PostgresMigrationPlan {
  namespace: string;
  /** The existing Cluster. */
  cluster: string;
  /** The new Cluster, on the OpenEBS class. */
  target: { name: string; storageClass: string };
  /** A merge patch of the existing Cluster: it learns of the new one. */
  existingPatch: string;
  /** The new Cluster: made by pg_basebackup, following the existing one. */
  replicaCluster: string;
  /** In order, once the new Cluster is ready and its lag small. */
  switchover: Array<{ title: string; command: string }>;
  /**
   * In order, after the switchover and while the existing Cluster is kept
   * (it follows the new one): makes it the primary again.
   */
  rollback: Array<{ title: string; command: string }>;
}

/**
 * A CloudNativePG cluster's WAL archive as the Barman Cloud plugin's
 * ObjectStore and the cluster's ContinuousArchiving condition report it.
 *
 * @public
 */
export interface PostgresArchiveStatus {
  objectStore: string;
  /** The folder of the object store the cluster archives to. */
  serverName: string;
  /** The ContinuousArchiving condition; absent before CloudNativePG sets it. */
  archiving?: { ok: boolean; message?: string; since?: string };
  /** The oldest point the archive can restore to. */
  firstRecoverabilityPoint?: string;
  lastSuccessfulBackup?: string;
  lastFailedBackup?: string;
}

/**
 * Volumes left out of an entity's answer because their namespace belongs to
 * another owner. Neither the namespaces nor the volumes are named.
 *
 * @public
 */
export interface WithheldVolumes {
  volumes: number;
  namespaces: number;
  reason: string;
}

/** @public */
export interface EntityStorage {
  entityRef: string;
  generatedAt: string;
  /** `undefined` when the entity has no volumes in any readable cluster. */
  health?: Health;
  serviceLevels: ServiceLevels;
  clusters: ClusterStorage[];
}
