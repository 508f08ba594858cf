import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  EntityStorage,
  RestoreRequest,
  RestoreRequestInput,
  RestoreRequestList,
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
   * (NotFoundError), target namespace taken (ConflictError), storage location
   * unavailable (ServiceUnavailableError).
   */
  requestRestore(
    entityRef: CompoundEntityRef,
    input: RestoreRequestInput,
  ): Promise<RestoreRequest>;

  /** The restores requested for the entity, newest first. */
  listRestores(entityRef: CompoundEntityRef): Promise<RestoreRequestList>;
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
