/**
 * Restore drills: the proof that a volume's backup really comes back. The
 * backend restores the newest good backup of an entity's volumes into a
 * scratch namespace, waits for the restored pods, compares the bytes
 * restored with the bytes backed up, records the evidence (chained, so an
 * edited or removed record is detected) and deletes the namespace.
 */

/**
 * `queued`: asked for, waiting for its cluster (one drill at a time, after
 * users' restores); `restoring`: Velero is restoring into the scratch
 * namespace; `starting`: the data is back, the restored pods are starting;
 * `passed` / `failed`: the evidence is sealed; `yielded`: a user's restore
 * came first, so the drill stood down before Velero started it (it runs
 * again later).
 *
 * @public
 */
export type DrillState =
  | 'queued'
  | 'restoring'
  | 'starting'
  | 'passed'
  | 'failed'
  | 'yielded';

/**
 * States in which a drill will still change by itself, and holds its
 * cluster (one drill at a time per cluster).
 *
 * @public
 */
export const ACTIVE_DRILL_STATES: readonly DrillState[] = [
  'queued',
  'restoring',
  'starting',
];

/** One volume's share of a drill: bytes Velero backed up and restored. @public */
export interface DrillVolume {
  claim: string;
  bytesBackedUp?: number;
  bytesRestored?: number;
}

/** @public */
export interface RestoreDrill {
  id: string;
  entityRef: string;
  cluster: string;
  sourceNamespace: string;
  /** The scratch namespace (labelled as a drill, deny-all NetworkPolicy). */
  scratchNamespace: string;
  backupName?: string;
  restoreName?: string;
  state: DrillState;
  /** A user's entity ref, or `schedule` for an enrolled entity's drill. */
  startedBy: string;
  queuedAt: string;
  /** Restore created. */
  startedAt?: string;
  /** Velero's Restore completed: the data is back. */
  dataBackAt?: string;
  /** Every restored pod Ready. */
  readyAt?: string;
  finishedAt?: string;
  /** startedAt → readyAt: the measured recovery time. */
  recoverySeconds?: number;
  volumes: DrillVolume[];
  /** The entity's own check of the restored data, when it declares one. */
  verification?: DrillVerification;
  /** Why it failed or yielded; for a pass, what was compared. */
  reason?: string;
  /** The scratch namespace was deleted. */
  cleanedAt?: string;
}

/**
 * Whether the sealed evidence is as it was written: each record's hash
 * covers the one before it, so an edited record breaks its own hash and a
 * removed one leaves a gap in the sequence.
 *
 * @public
 */
export interface DrillEvidenceCheck {
  intact: boolean;
  /** Records checked. */
  records: number;
  /** HMAC with the configured key (true), or a plain SHA-256 chain. */
  signed: boolean;
  /** The first problem found, naming the record. */
  problem?: string;
}

/**
 * An entity's enrolment for scheduled drills: set on the Storage tab by its
 * owners (which wins while set), or by its annotation.
 *
 * @public
 */
export interface DrillEnrolment {
  cadence: DrillCadence;
  source: 'annotation' | 'tab';
  /** For the tab's: who set it, and when. */
  setBy?: string;
  setAt?: string;
}

/**
 * What the tab sets: a cadence, `off` (no scheduled drills, whatever the
 * annotation asks), or `null` (the annotation decides again).
 *
 * @public
 */
export interface DrillEnrolmentRequest {
  cadence: DrillCadence | 'off' | null;
}

/** What the tab shows for an entity's drills. @public */
export interface EntityDrills {
  /** The cadence the entity is enrolled for, if any. */
  enrolled?: DrillEnrolment;
  /** What the annotation asks, whether or not the tab overrides it. */
  annotated?: DrillCadence;
  /** The tab's choice, while one is set. */
  tabChoice?: DrillCadence | 'off';
  drills: RestoreDrill[];
  lastPassed?: RestoreDrill;
  evidence: DrillEvidenceCheck;
}

/**
 * An entity's sealed drill records as an auditor keeps them: each record's
 * evidence as it was sealed, with the chain's hashes, and the check of the
 * whole chain at export time.
 *
 * @public
 */
export interface DrillEvidenceExport {
  entityRef: string;
  exportedAt: string;
  check: DrillEvidenceCheck;
  records: Array<{
    seq: number;
    evidence: Record<string, unknown>;
    prevHash: string;
    hash: string;
  }>;
}

/**
 * The entity annotation that enrols it for scheduled drills: `weekly` or
 * `daily` (the workload template writes `weekly`). The platform's
 * `openebsStorage.drills.minimumIntervalHours` bounds how often an
 * annotation can make them run.
 *
 * @public
 */
export const DRILL_ANNOTATION = 'openebs.io/restore-drill';

/**
 * The entity's check that its data is usable, run by `sh -c` in a restored
 * pod of each drill (a row count, `sha256sum -c`…); exit 0 passes. It runs
 * only in the drill's isolated scratch namespace, on the entity's own
 * restored copy. `DRILL_VERIFY_CONTAINER_ANNOTATION` names the container
 * when the pod has several.
 *
 * @public
 */
export const DRILL_VERIFY_ANNOTATION = 'openebs.io/restore-drill-verify';

/** @public */
export const DRILL_VERIFY_CONTAINER_ANNOTATION =
  'openebs.io/restore-drill-verify-container';

/**
 * The entity's verification as a drill ran it: the command recorded when
 * the drill was queued, its result when the restored pods were Ready.
 *
 * @public
 */
export interface DrillVerification {
  command: string;
  container?: string;
  /** The restored pod it ran in. */
  pod?: string;
  passed?: boolean;
  exitCode?: number;
  /** The end of what it printed (stdout and stderr as they came). */
  output?: string;
}

/** @public */
export const DRILL_CADENCES = { daily: 24, weekly: 7 * 24 } as const;

/** @public */
export type DrillCadence = keyof typeof DRILL_CADENCES;
