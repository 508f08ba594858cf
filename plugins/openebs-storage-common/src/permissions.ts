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
 * Restore an entity's volumes from a Velero backup into a new namespace,
 * next to the running workload. Nothing existing is touched.
 *
 * @public
 */
export const openebsStorageRestoreCreatePermission = createPermission({
  name: 'openebs.storage.restore.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Restore an entity's volumes in place, into the namespace they came from.
 * Destructive in intent (the workload and claims must be removed first), so
 * it is a separate permission, typically kept for platform administrators.
 *
 * @public
 */
export const openebsStorageRestoreInPlacePermission = createPermission({
  name: 'openebs.storage.restore.inplace',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Administer restores: restore from namespaces whose owner the platform has
 * not recorded, and cancel restores that are queued or stuck. A basic
 * permission (not per entity): it is the platform team's.
 *
 * @public
 */
export const openebsStorageRestoreAdminPermission = createPermission({
  name: 'openebs.storage.restore.admin',
  attributes: { action: 'update' },
});

/**
 * Move an entity's claim from a class that is not OpenEBS onto an OpenEBS
 * class: the workload is stopped while the data is copied, and the old
 * volume is kept until the team confirms or rolls back. Granted to owners by
 * a conditional policy, like restores; the namespace's recorded owner is
 * checked as well.
 *
 * @public
 */
export const openebsStorageMigratePermission = createPermission({
  name: 'openebs.storage.migrate',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * All permissions of the OpenEBS storage plugin.
 *
 * @public
 */
export const openebsStoragePermissions = [
  openebsStorageReadPermission,
  openebsStorageRestoreCreatePermission,
  openebsStorageRestoreInPlacePermission,
  openebsStorageRestoreAdminPermission,
  openebsStorageMigratePermission,
];
