import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  DrillEnrolmentRequest,
  DrillEvidenceExport,
  EntityDrills,
  EntityStorage,
  MigrationRunbook,
  PostgresMigrationPlan,
  RestoreDrill,
  RestorePreview,
  RestoreRequest,
  RestoreRequestInput,
  RestoreRequestList,
  VolumeMigration,
  VolumeMigrationInput,
  VolumeMigrationList,
} from '@openebs-portal/plugin-openebs-storage-common';

/**
 * Reads the storage status of catalog entities from the openebs-storage
 * backend, and requests restores of their volumes.
 *
 * @public
 */
export interface OpenebsStorageApi {
  /**
   * The volumes, snapshots, backups, schedules and backup storage locations
   * of one entity, across the clusters it runs in.
   *
   * Rejects with a `ResponseError` when the backend refuses the request (for
   * example 403 without the `openebs.storage.read` permission); failures of a
   * single cluster are returned as data in `clusters[].errors`.
   */
  getEntityStorage(entityRef: CompoundEntityRef): Promise<EntityStorage>;

  /**
   * Asks the backend to restore some of the entity's volumes from a Velero
   * backup. The backend builds the Velero Restore itself; the input only
   * says what to restore and where.
   *
   * Resolves with the recorded request, also when `input.requestId` was
   * already submitted (a retry creates no second restore). Rejects with a
   * `ResponseError` whose `cause.message` says why the backend refused:
   * invalid input, backup not finished or in-place restore not possible yet
   * (InputError), missing permission (NotAllowedError), unknown backup
   * (NotFoundError), target namespace taken (ConflictError), too many
   * restores in progress for the entity or the user (TooManyRequestsError),
   * storage location unavailable (ServiceUnavailableError).
   */
  requestRestore(
    entityRef: CompoundEntityRef,
    input: RestoreRequestInput,
  ): Promise<RestoreRequest>;

  /**
   * What a restore request would bring back, and where, without requesting
   * it: Velero restores every pod of the entity in the namespace with its
   * claims, not only the volumes chosen. The backend makes the same checks
   * as for {@link OpenebsStorageApi.requestRestore} and rejects with the same
   * `ResponseError`s, so a refusal is known before the user submits.
   */
  previewRestore(
    entityRef: CompoundEntityRef,
    input: Omit<RestoreRequestInput, 'requestId'>,
  ): Promise<RestorePreview>;

  /**
   * Cancels a restore that is queued or running: the backend deletes its
   * Velero Restore and resolves with the request, now `cancelled`. Needs the
   * `openebs.storage.restore.admin` permission; rejects with a
   * `ResponseError` otherwise, or when the restore has already ended.
   */
  cancelRestore(
    entityRef: CompoundEntityRef,
    id: string,
  ): Promise<RestoreRequest>;

  /**
   * Decides an in-place restore that waits for approval: `approve` starts
   * its steps (planned again now), `reject` ends it with the reason and
   * changes nothing. Needs the `openebs.storage.restore.inplace` permission
   * on the entity, and another user than the requester; resolves with the
   * decided request.
   */
  decideRestore(
    entityRef: CompoundEntityRef,
    id: string,
    decision: { approve: true } | { approve: false; reason: string },
  ): Promise<RestoreRequest>;

  /** The restores requested for the entity, newest first. */
  listRestores(entityRef: CompoundEntityRef): Promise<RestoreRequestList>;

  /**
   * The entity's restore drills, newest first, its enrolment and the check
   * of the sealed evidence.
   */
  listDrills(entityRef: CompoundEntityRef): Promise<EntityDrills>;

  /**
   * Queues a restore drill of the entity now (needs the
   * `openebs.storage.restore.create` permission); resolves with the drill,
   * or with the one already queued or running. Rejects with a
   * `ResponseError` saying why when the entity cannot be drilled.
   */
  runDrill(entityRef: CompoundEntityRef): Promise<RestoreDrill>;

  /**
   * Enrols the entity for scheduled drills from the tab: a cadence, `off`,
   * or `null` (its annotation decides). Returns its drills as they now are.
   */
  setDrillEnrolment(
    entityRef: CompoundEntityRef,
    request: DrillEnrolmentRequest,
  ): Promise<EntityDrills>;

  /** The entity's sealed drill evidence with the check of the chain. */
  exportDrillEvidence(
    entityRef: CompoundEntityRef,
  ): Promise<DrillEvidenceExport>;

  /** The entity's volume migrations onto OpenEBS, newest first. */
  listMigrations(entityRef: CompoundEntityRef): Promise<VolumeMigrationList>;

  /**
   * Asks the backend to move a claim onto an OpenEBS class (needs the
   * `openebs.storage.migrate` permission on the entity, and the claim's
   * namespace recorded as the entity's owner's). Resolves with the
   * recorded migration, also for a repeated `requestId`; rejects with a
   * `ResponseError` saying why it is refused.
   */
  requestMigration(
    entityRef: CompoundEntityRef,
    input: VolumeMigrationInput,
  ): Promise<VolumeMigration>;

  /**
   * Decides a migration that awaits confirmation: `confirm` keeps the new
   * volume (the old one goes the way its reclaim policy says), `rollback`
   * binds the claim to the old volume again and checks it unchanged.
   */
  decideMigration(
    entityRef: CompoundEntityRef,
    id: string,
    decision: 'confirm' | 'rollback',
  ): Promise<VolumeMigration>;

  /**
   * One migration's runbook (Markdown): its steps as they stand and the
   * commands to finish or undo it by hand, with the real names.
   */
  getMigrationRunbook(
    entityRef: CompoundEntityRef,
    id: string,
  ): Promise<MigrationRunbook>;

  /**
   * The plan for moving one of the entity's CloudNativePG Clusters onto an
   * OpenEBS class by streaming replication: the manifests and the
   * switchover's commands. Asking creates nothing; it needs
   * `openebs.storage.migrate` on the entity.
   */
  getPostgresMigrationPlan(
    entityRef: CompoundEntityRef,
    database: {
      cluster: string;
      namespace: string;
      name: string;
      targetClass: string;
    },
  ): Promise<PostgresMigrationPlan>;
}

/**
 * Utility API reference for {@link OpenebsStorageApi}.
 *
 * @public
 */
export const openebsStorageApiRef = createApiRef<OpenebsStorageApi>().with({
  id: 'plugin.openebs-storage.service',
  pluginId: 'openebs-storage',
});
