import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import { EntityStorage } from '@openebs-portal/plugin-openebs-storage-common';

/**
 * Reads the storage status of catalog entities from the openebs-storage
 * backend.
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
