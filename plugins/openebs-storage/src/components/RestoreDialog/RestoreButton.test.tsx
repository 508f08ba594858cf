import { screen, waitFor } from '@testing-library/react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  VolumeStatus,
  openebsStorageRestoreAdminPermission,
  openebsStorageRestoreCreatePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../../api';
import {
  freezeClock,
  fullStorage,
  hostpathVolume,
} from '../../testing/fixtures';
import { fakePermissionApi } from '../../testing/permissions';
import { RestoreButton } from './RestoreButton';
import { RestoreContext } from './RestoreContext';

const [labA] = fullStorage.clusters;
/** data-shop-0 in a namespace whose owner the platform has not recorded. */
const unowned: VolumeStatus = { ...hostpathVolume, namespaceOwner: undefined };

/**
 * The users of this file are platform admins. The admin permission is
 * basic: usePermission caches its decision for the whole file, so the
 * refusal is tested in BackupsTable.test.tsx.
 */
describe('RestoreButton for platform admins', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  it('restores from a namespace without a recorded owner', async () => {
    const permissionApi = fakePermissionApi([
      openebsStorageRestoreCreatePermission.name,
      openebsStorageRestoreAdminPermission.name,
    ]);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [openebsStorageApiRef, {}],
          [permissionApiRef, permissionApi],
        ]}
      >
        <RestoreContext.Provider
          value={{
            entityRef: { kind: 'Component', namespace: 'shop', name: 'shop' },
            clusters: [{ ...labA, volumes: [unowned] }],
            onRequested: jest.fn(),
          }}
        >
          <RestoreButton volume={unowned} backup={unowned.backups[0]} />
        </RestoreContext.Provider>
      </TestApiProvider>,
    );

    const button = screen.getByRole('button', { name: 'Restore…' });
    await waitFor(() => expect(button).toBeEnabled());
    expect(button).not.toHaveAccessibleDescription();
    expect(screen.queryByText('owner not recorded')).not.toBeInTheDocument();
    expect(permissionApi.authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: openebsStorageRestoreAdminPermission,
      }),
    );
  });
});
