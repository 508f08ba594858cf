import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Read the storage status (volumes, snapshots, backups) of a catalog entity.
 *
 * A resource permission on `catalog-entity`, so policies can answer with
 * conditional decisions such as `isEntityOwner`.
 *
 * @public
 */
export const openebsStorageReadPermission = createPermission({
  name: 'openebs.storage.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * All permissions of the OpenEBS storage plugin.
 *
 * @public
 */
export const openebsStoragePermissions = [openebsStorageReadPermission];
