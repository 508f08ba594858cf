import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  RestoreRequest,
  openebsStorageRestoreAdminPermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { OpenebsStorageApi, openebsStorageApiRef } from '../../api';
import { freezeClock, fullStorage } from '../../testing/fixtures';
import { fakePermissionApi } from '../../testing/permissions';
import { completedRestore, inProgressRestore } from '../../testing/restores';
import { RestoreRequestsTable } from './RestoreRequestsTable';

const cancelledByAdmin: RestoreRequest = {
  ...inProgressRestore,
  state: 'cancelled',
  cancelledBy: 'user:default/platform-admin',
};

/**
 * A platform admin's view. The admin permission is basic: usePermission
 * caches its decision for the whole file, so this file only ever allows it.
 */
async function renderAsAdmin(
  cancelRestore: OpenebsStorageApi['cancelRestore'],
) {
  const onCancelled = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [openebsStorageApiRef, { cancelRestore }],
        [
          permissionApiRef,
          fakePermissionApi([openebsStorageRestoreAdminPermission.name]),
        ],
      ]}
    >
      <RestoreRequestsTable
        loading={false}
        serviceLevels={fullStorage.serviceLevels}
        entityRef="component:shop/shop"
        restores={[inProgressRestore, completedRestore]}
        onCancelled={onCancelled}
      />
    </TestApiProvider>,
  );
  const cancelButton = await screen.findByRole('button', {
    name: `Cancel restore ${inProgressRestore.restoreName}`,
  });
  return { onCancelled, cancelButton };
}

describe('CancelRestoreButton', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  it('lets a platform admin cancel a restore in progress, once confirmed', async () => {
    const cancelRestore = jest.fn().mockResolvedValue(cancelledByAdmin);
    const { onCancelled, cancelButton } = await renderAsAdmin(cancelRestore);

    // Only the restore in progress can be cancelled.
    expect(cancelButton).toHaveTextContent('Cancel');
    expect(screen.getAllByRole('button', { name: /^Cancel/ })).toHaveLength(1);
    expect(
      within(cancelButton.closest('tr')!).getByText('In progress'),
    ).toBeInTheDocument();

    // Asked first; "Keep it" changes nothing.
    await userEvent.click(cancelButton);
    let dialog = await screen.findByRole('dialog', {
      name: `Cancel restore ${inProgressRestore.restoreName}?`,
    });
    expect(
      within(dialog).getByText(
        /already brought back into namespace shop-restore-20261117-1150 stays there/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Keep it' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(cancelRestore).not.toHaveBeenCalled();

    await userEvent.click(cancelButton);
    dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel the restore' }),
    );

    await waitFor(() =>
      expect(onCancelled).toHaveBeenCalledWith(cancelledByAdmin),
    );
    expect(cancelRestore).toHaveBeenCalledTimes(1);
    expect(cancelRestore).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'shop', name: 'shop' },
      inProgressRestore.id,
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  }, 20_000);

  it('shows why the backend refused to cancel, and keeps the dialog', async () => {
    const message = `Restore ${inProgressRestore.restoreName} has already completed: there is nothing to cancel.`;
    const refusal = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'ConflictError', message },
          response: { statusCode: 409 },
        }),
        { status: 409, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    const cancelRestore = jest.fn().mockRejectedValue(refusal);
    const { onCancelled, cancelButton } = await renderAsAdmin(cancelRestore);

    await userEvent.click(cancelButton);
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel the restore' }),
    );

    expect(
      await within(dialog).findByText('The restore could not be cancelled'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText(message)).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Cancel the restore' }),
    ).toBeEnabled();
    expect(onCancelled).not.toHaveBeenCalled();
  });

  it('says nothing has come back when Velero has not started the restore', async () => {
    const cancelRestore = jest.fn();
    const queued: RestoreRequest = {
      ...inProgressRestore,
      startedAt: undefined,
      queuedBehind: { restoreName: 'billing-restore-20261117-1000-q1w2e' },
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [openebsStorageApiRef, { cancelRestore }],
          [
            permissionApiRef,
            fakePermissionApi([openebsStorageRestoreAdminPermission.name]),
          ],
        ]}
      >
        <RestoreRequestsTable
          loading={false}
          serviceLevels={fullStorage.serviceLevels}
          entityRef="component:shop/shop"
          restores={[queued]}
          onCancelled={jest.fn()}
        />
      </TestApiProvider>,
    );

    await userEvent.click(
      await screen.findByRole('button', { name: /^Cancel restore/ }),
    );
    expect(
      await screen.findByText(
        /Velero has not started it: nothing has come back yet/,
      ),
    ).toBeInTheDocument();
  });
});
