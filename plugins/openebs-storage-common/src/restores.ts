/**
 * Where restored data goes.
 *
 * - `new-namespace` (the default): the entity's pods, claims and volumes come
 *   back in a new namespace beside the running workload; the owner verifies
 *   and switches over. Nothing existing is touched.
 * - `in-place`: back into the original namespace. Velero skips any claim or
 *   pod that exists, so the portal leads the steps around it: the workload
 *   stopped, the claims removed, the Restore, the workload started again
 *   (see {@link InPlaceStep}).
 *
 * @public
 */
export type RestoreMode = 'new-namespace' | 'in-place';

/**
 * What the browser sends to request a restore. The server builds the Velero
 * Restore itself from these fields; nothing else is accepted.
 *
 * @public
 */
export interface RestoreRequestInput {
  /**
   * A key the client generates once per submission (a UUID): a retried or
   * double-submitted request creates one Restore.
   */
  requestId: string;
  cluster: string;
  backupName: string;
  /** The namespace the volumes were backed up from. */
  namespace: string;
  /** Names of the PersistentVolumeClaims to restore. */
  volumes: string[];
  mode: RestoreMode;
  /** For `new-namespace`: where the data comes back. */
  targetNamespace?: string;
  /** For `in-place`: the source namespace, typed again by the user. */
  confirmation?: string;
}

/** @public */
export type RestoreState =
  | 'in-progress'
  | 'completed'
  | 'partially-failed'
  | 'failed'
  /** A platform admin cancelled it; its Velero Restore was deleted. */
  | 'cancelled'
  /**
   * In place, asked by someone who may request but not execute it: it
   * waits for a platform admin's approval, and nothing changes until then.
   */
  | 'awaiting-approval'
  /** A platform admin rejected it (the reason in `failureReason`). */
  | 'rejected';

/**
 * A platform admin's decision on an in-place request that waited for one.
 *
 * @public
 */
export interface RestoreApproval {
  decision: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: string;
  /** Why, for a rejection (required then). */
  reason?: string;
}

/**
 * What a Velero Restore brings back, beyond the volumes ticked: Velero
 * restores every pod of the entity in the namespace with its claims, so a
 * restore of one volume brings back all of them.
 *
 * @public
 */
export interface RestoreContents {
  /** The claims whose data the backup holds and the Restore recreates. */
  claims: string[];
  /**
   * The workloads that come back, as `Kind/name` (`StatefulSet/db`), or
   * `Pod/name` where the pod's controller is no longer known.
   */
  workloads: string[];
}

/**
 * The answer to a restore preview: what the request would bring back and
 * where, computed by the same checks as the request itself.
 *
 * @public
 */
export interface RestorePreview {
  targetNamespace: string;
  contents: RestoreContents;
  /** For `in-place`: what the portal stops and removes first. */
  inPlace?: InPlacePlan;
}

/**
 * One volume's data coming back (a PodVolumeRestore or DataDownload).
 *
 * @public
 */
export interface RestoreVolumeProgress {
  claimName: string;
  phase: string;
  bytesDone?: number;
  totalBytes?: number;
  /** The node the restored data landed on. */
  node?: string;
  message?: string;
}

/**
 * The steps of an in-place restore, in order: the workloads mounting the
 * claims scaled to zero (pods on a dead node deleted, their kubelet cannot),
 * the claims and, on a dead node, their volumes removed, the Velero Restore,
 * the stand-in pods Velero ran to write the data removed, the workloads
 * scaled back.
 *
 * @public
 */
export type InPlaceStepName =
  | 'stop-workloads'
  | 'remove-claims'
  | 'restore'
  | 'remove-restore-pods'
  | 'start-workloads';

/** @public */
export interface InPlaceStep {
  name: InPlaceStepName;
  state: 'pending' | 'running' | 'done' | 'failed';
  /** What the step does, or why it failed, in words. */
  detail: string;
  startedAt?: string;
  endedAt?: string;
}

/**
 * A workload an in-place restore stops and starts again.
 *
 * @public
 */
export interface InPlaceWorkload {
  kind: 'StatefulSet' | 'Deployment';
  name: string;
  /** Its replicas before it was stopped (set once the step has read them). */
  replicas?: number;
}

/**
 * What an in-place restore changes, and how far it has come.
 *
 * @public
 */
export interface InPlaceRestore {
  workloads: InPlaceWorkload[];
  /** The claims removed and brought back, with the UIDs checked before deleting. */
  claims: Array<{ name: string; uid?: string; volumeName?: string }>;
  steps: InPlaceStep[];
}

/**
 * What an in-place restore would change, answered by a preview.
 *
 * @public
 */
export interface InPlacePlan {
  /** `Kind/name` of each workload scaled to zero and back. */
  workloads: string[];
  /** Claims that exist now and are deleted before the Restore. */
  claimsRemoved: string[];
  /** Of those, the ones on a node that is not Ready or gone. */
  onDeadNodes: string[];
}

/** @public */
export interface RestoreRequest {
  id: string;
  /** The client's idempotency key from {@link RestoreRequestInput}. */
  requestId: string;
  entityRef: string;
  cluster: string;
  backupName: string;
  mode: RestoreMode;
  sourceNamespace: string;
  targetNamespace: string;
  volumes: string[];
  /** Everything the Restore brings back (absent on requests made before it was recorded). */
  contents?: RestoreContents;
  requestedBy: string;
  requestedAt: string;
  /** Name of the Velero Restore object the server created. */
  restoreName: string;
  state: RestoreState;
  /** Velero's phase of the Restore. */
  phase?: string;
  warnings?: number;
  errors?: number;
  startedAt?: string;
  completedAt?: string;
  durationSeconds?: number;
  /** Whether the restore finished within the 15-minute service level. */
  withinServiceLevel?: boolean;
  failureReason?: string;
  volumeProgress: RestoreVolumeProgress[];
  /**
   * The Velero restore log of a failed or partially failed restore:
   * `requested` while Velero prepares it, `fetched` with its last lines in
   * `logExcerpt`, or `unavailable` with the reason in `logExcerpt` (e.g. the
   * object store is unreachable).
   */
  logState?: 'requested' | 'fetched' | 'unavailable';
  logExcerpt?: string;
  /**
   * While Velero has not started this restore: the restore it is running
   * instead. Velero runs one restore at a time, so this one waits until that
   * one ends (a stuck one holds every later restore). Found when listed.
   */
  queuedBehind?: RestoreInProgress;
  /** Who cancelled it, for `cancelled`. */
  cancelledBy?: string;
  /** For `in-place`: the steps the portal leads (absent on older requests). */
  inPlace?: InPlaceRestore;
  /** For a request that waited for approval: who decided, and how. */
  approval?: RestoreApproval;
}

/**
 * A Velero Restore that Velero is running now.
 *
 * @public
 */
export interface RestoreInProgress {
  restoreName: string;
  startedAt?: string;
}

/** @public */
export interface RestoreRequestList {
  items: RestoreRequest[];
}

/**
 * Signal channel on which the backend announces restore progress to the
 * user who requested it.
 *
 * @public
 */
export const RESTORE_SIGNAL_CHANNEL = 'openebs-storage:restores';

/** @public */
export interface RestoreSignal {
  requestId: string;
  entityRef: string;
  state: RestoreState;
}
