import {
  AuthorizeResult,
  ConditionalPolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  openebsStorageReadPermission,
  openebsStorageRestoreAdminPermission,
  openebsStorageMigratePermission,
  openebsStorageRestoreCreatePermission,
  openebsStorageRestoreInPlacePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import {
  DEFAULT_PLATFORM_ADMINS,
  PortalPermissionPolicy,
} from './permissionPolicy';

function user(ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ownershipEntityRefs[0],
      ownershipEntityRefs,
    },
    credentials: {} as any,
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
    token: 'unused',
  } as PolicyQueryUser;
}

describe('PortalPermissionPolicy', () => {
  const policy = new PortalPermissionPolicy();
  const developer = user(['user:default/dev', 'group:default/team-shop']);
  const admin = user(['user:default/ops', ...DEFAULT_PLATFORM_ADMINS]);

  it('lets any signed-in user read storage status', async () => {
    expect(
      await policy.handle(
        { permission: openebsStorageReadPermission },
        developer,
      ),
    ).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(
      await policy.handle({ permission: openebsStorageReadPermission }),
    ).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it.each([
    openebsStorageRestoreCreatePermission,
    openebsStorageMigratePermission,
  ])(
    "lets the catalog decide $name by the user's ownership",
    async permission => {
      expect(await policy.handle({ permission })).toEqual({
        result: AuthorizeResult.DENY,
      });
      const decision = (await policy.handle(
        { permission },
        developer,
      )) as ConditionalPolicyDecision;
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ['user:default/dev', 'group:default/team-shop'] },
        },
      });
    },
  );

  it.each([
    openebsStorageRestoreInPlacePermission,
    openebsStorageRestoreAdminPermission,
  ])('keeps $name for platform admins', async permission => {
    expect(await policy.handle({ permission }, developer)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await policy.handle({ permission })).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await policy.handle({ permission }, admin)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('takes its platform admins from the config when named there', async () => {
    const configured = new PortalPermissionPolicy(['group:default/ops']);
    const inPlace = { permission: openebsStorageRestoreInPlacePermission };
    expect(
      await configured.handle(
        inPlace,
        user(['user:default/o', 'group:default/ops']),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    // The default group is no longer enough once the config names others.
    expect(await configured.handle(inPlace, admin)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
