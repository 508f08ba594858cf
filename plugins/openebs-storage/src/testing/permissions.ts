import { PermissionApi } from '@backstage/plugin-permission-react';

type Request = Parameters<PermissionApi['authorize']>[0];
type Decision = Awaited<ReturnType<PermissionApi['authorize']>>;

/**
 * A PermissionApi that allows exactly the named permissions, whatever the
 * resource, and records what it was asked.
 *
 * `usePermission` caches decisions with SWR under the permission and the
 * resource ref, for the whole test file: tests that need a different
 * decision for the same permission ask about a different entity. A basic
 * permission (`openebs.storage.restore.admin`) has no resource to vary: a
 * test file gets one decision for it, and the other goes in another file.
 */
export function fakePermissionApi(allowed: string[]) {
  return {
    authorize: jest.fn(
      async (request: Request) =>
        ({
          result: allowed.includes(request.permission.name) ? 'ALLOW' : 'DENY',
        } as Decision),
    ),
  } satisfies PermissionApi;
}
