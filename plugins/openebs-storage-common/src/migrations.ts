import { InPlaceWorkload } from './restores';

/**
 * What the browser sends to move one claim onto an OpenEBS class. The
 * server plans everything else from the cluster.
 *
 * @public
 */
export interface VolumeMigrationInput {
  /** Client-chosen idempotency key: a repeat returns the first request. */
  requestId: string;
  cluster: string;
  namespace: string;
  /** The claim to move (its storage class is not OpenEBS). */
  claim: string;
  /** The OpenEBS storage class it moves to. */
  targetClass: string;
}

/**
 * The steps of a migration, in order; a rollback has its own.
 *
 * - `stop-workloads`: the workloads mounting the claim scaled to 0;
 * - `copy`: a new claim on the target class, filled by a copy pod on the
 *   old volume's node, and the checksummed manifests of both sides compared;
 * - `swap-claim`: both volumes kept (reclaim policy Retain), the old claim
 *   replaced by one of the same name bound to the new volume;
 * - `start-workloads`: the workloads scaled back and Ready.
 *
 * A rollback runs `stop-workloads`, `swap-back` (the claim bound to the old
 * volume again), `verify-source` (the old volume's manifest equal to the one
 * recorded at the copy) and `start-workloads`.
 *
 * @public
 */
export type MigrationStepName =
  | 'stop-workloads'
  | 'copy'
  | 'swap-claim'
  | 'start-workloads'
  | 'swap-back'
  | 'verify-source';

/** @public */
export interface MigrationStep {
  name: MigrationStepName;
  state: 'pending' | 'running' | 'done' | 'failed';
  /** What the step does, or why it failed, in words. */
  detail: string;
  startedAt?: string;
  endedAt?: string;
}

/**
 * Where a migration is:
 * `in-progress` (its steps run), `awaiting-confirmation` (the workload runs
 * on the new volume; the old one is kept until the team confirms or rolls
 * back), `confirmed`, `rolling-back`, `rolled-back`, `failed`.
 *
 * @public
 */
export type MigrationState =
  | 'in-progress'
  | 'awaiting-confirmation'
  | 'confirmed'
  | 'rolling-back'
  | 'rolled-back'
  | 'failed';

/**
 * The copy's proof: the manifest (one `sha256  path` line per file, sorted)
 * of the old volume, equal to the new volume's.
 *
 * @public
 */
export interface MigrationManifest {
  files: number;
  bytes: number;
  /** SHA-256 of the manifest text itself. */
  sha256: string;
}

/** @public */
export interface MigrationVolume {
  /** The persistent volume's name. */
  name: string;
  storageClass: string;
  /** Its reclaim policy before the migration set Retain. */
  reclaimPolicy?: string;
}

/**
 * A request to move a claim onto OpenEBS, and how far it has come.
 *
 * @public
 */
export interface VolumeMigration {
  id: string;
  requestId: string;
  entityRef: string;
  cluster: string;
  namespace: string;
  /** The claim's name: the same before and after. */
  claim: string;
  /** The claim's UID when it was checked (never deleted if recreated). */
  claimUid: string;
  capacity: string;
  accessModes: string[];
  /** The claim's labels, given to the claim that replaces it. */
  claimLabels: Record<string, string>;
  /** The node of the old volume, when it is node-local. */
  node?: string;
  source: MigrationVolume;
  targetClass: string;
  /** The new volume, once provisioned. */
  target?: MigrationVolume;
  /** The temporary claim the copy fills (deleted at the swap). */
  copyClaim: string;
  workloads: InPlaceWorkload[];
  steps: MigrationStep[];
  rollbackSteps?: MigrationStep[];
  state: MigrationState;
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  manifest?: MigrationManifest;
  /** The old volume's manifest read again by the rollback (equal to `manifest`). */
  rollbackVerified?: MigrationManifest;
  /** Workloads stopped to Ready again on the new volume, in seconds. */
  downtimeSeconds?: number;
  /** The same for the rollback. */
  rollbackDowntimeSeconds?: number;
  failureReason?: string;
  updatedAt: string;
}

/** @public */
export interface VolumeMigrationList {
  migrations: VolumeMigration[];
}

/**
 * The states in which a migration still holds its claim (a second one for
 * the same claim is refused).
 *
 * @public
 */
export const ACTIVE_MIGRATION_STATES: MigrationState[] = [
  'in-progress',
  'awaiting-confirmation',
  'rolling-back',
];

/**
 * The states in which the portal is leading a migration's (or its
 * rollback's) steps.
 *
 * @public
 */
export const RUNNING_MIGRATION_STATES: MigrationState[] = [
  'in-progress',
  'rolling-back',
];

/**
 * Whether a migration ended because its workloads did not become Ready on
 * the new volume: the data is whole on both volumes, so it may still be
 * rolled back.
 *
 * @public
 */
export function migrationFailedToStart(m: VolumeMigration): boolean {
  return (
    m.state === 'failed' &&
    !m.rollbackSteps &&
    m.steps.some(s => s.name === 'start-workloads' && s.state === 'failed')
  );
}

/**
 * One migration's runbook, in Markdown: its volumes, its steps as they
 * stand with what a failure leaves behind, the proof, and the commands to
 * finish or undo it by hand with the real names.
 *
 * @public
 */
export interface MigrationRunbook {
  markdown: string;
}
