import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  openebsStorageReadPermission,
  openebsStorageRestoreAdminPermission,
  openebsStorageRestoreCreatePermission,
  openebsStorageRestoreInPlacePermission,
} from '@openebs-portal/plugin-openebs-storage-common';

/** The group whose members may restore in place (destructive). */
export const PLATFORM_ADMINS = 'group:default/platform-admins';

/**
 * The example portal's policy for the storage plugin:
 *
 * - `openebs.storage.read`: every signed-in user (it shows where volumes
 *   live and whether they are backed up, never their data);
 * - `openebs.storage.restore.create`: the entity's owners, decided by the
 *   catalog with the `isEntityOwner` condition against the user's ownership
 *   refs (their user and groups);
 * - `openebs.storage.restore.inplace` and `openebs.storage.restore.admin`
 *   (restoring namespaces with no recorded owner, cancelling restores):
 *   members of platform-admins only.
 *
 * Anything else is allowed, as in Backstage's default example policy.
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (permission.name === openebsStorageReadPermission.name) {
      return { result: user ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (
      permission.name === openebsStorageRestoreInPlacePermission.name ||
      permission.name === openebsStorageRestoreAdminPermission.name
    ) {
      return {
        result: user?.info.ownershipEntityRefs.includes(PLATFORM_ADMINS)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (
      permission.name === openebsStorageRestoreCreatePermission.name &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      if (!user) return { result: AuthorizeResult.DENY };
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({
          claims: user.info.ownershipEntityRefs,
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new PortalPermissionPolicy());
      },
    });
  },
});
