import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
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
  openebsStorageMigratePermission,
  openebsStorageReadPermission,
  openebsStorageRestoreAdminPermission,
  openebsStorageRestoreCreatePermission,
  openebsStorageRestoreInPlacePermission,
} from '@openebs-portal/plugin-openebs-storage-common';

/** Platform admins when the config names none. */
export const DEFAULT_PLATFORM_ADMINS = ['group:default/platform-admins'];

export class PortalPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly platformAdmins: string[] = DEFAULT_PLATFORM_ADMINS,
  ) {}

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
        result: user?.info.ownershipEntityRefs.some(ref =>
          this.platformAdmins.includes(ref),
        )
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (
      (permission.name === openebsStorageRestoreCreatePermission.name ||
        permission.name === openebsStorageMigratePermission.name) &&
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
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new PortalPermissionPolicy(
            config.getOptionalStringArray('portal.platformAdmins'),
          ),
        );
      },
    });
  },
});
