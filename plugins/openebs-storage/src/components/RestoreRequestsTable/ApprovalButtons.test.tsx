import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  RestoreRequest,
  openebsStorageRestoreInPlacePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { OpenebsStorageApi, openebsStorageApiRef } from '../../api';
import { freezeClock, fullStorage } from '../../testing/fixtures';
import { fakePermissionApi } from '../../testing/permissions';
import { guidedInPlaceRestore } from '../../testing/restores';
import { RestoreRequestsTable } from './RestoreRequestsTable';

const waiting: RestoreRequest = {
  ...guidedInPlaceRestore,
  state: 'awaiting-approval',
  phase: undefined,
  startedAt: undefined,
  requestedBy: 'user:default/jane.doe',
};

async function renderTable(
  allowed: string[],
  decideRestore: OpenebsStorageApi['decideRestore'] = jest.fn(),
  entityRef = 'component:shop/shop',
) {
  const onDecided = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [openebsStorageApiRef, { decideRestore }],
        [permissionApiRef, fakePermissionApi(allowed)],
      ]}
    >
      <RestoreRequestsTable
        loading={false}
        serviceLevels={fullStorage.serviceLevels}
        entityRef={entityRef}
        restores={[waiting]}
        onDecided={onDecided}
      />
    </TestApiProvider>,
  );
  return { onDecided };
}

describe('ApprovalButtons', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  it('shows a request awaiting approval, and no decision, to its requester', async () => {
    await renderTable([], jest.fn(), 'component:shop/shop-requester');
    expect(screen.getByText('Awaiting approval')).toBeInTheDocument();
    expect(
      screen.getByText('Nothing changes until a platform admin approves it.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Approve/ }),
    ).not.toBeInTheDocument();
  });

  it('lets a platform admin reject it with a reason only', async () => {
    const rejected = { ...waiting, state: 'rejected' as const };
    const decideRestore = jest.fn().mockResolvedValue(rejected);
    const { onDecided } = await renderTable(
      [openebsStorageRestoreInPlacePermission.name],
      decideRestore,
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: `Reject restore ${waiting.restoreName}`,
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: `Reject the in-place restore ${waiting.restoreName}?`,
    });
    const reject = within(dialog).getByRole('button', { name: 'Reject' });
    expect(reject).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /^Reason/ }),
      '  not during the sale  ',
    );
    await userEvent.click(reject);
    expect(decideRestore).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'shop', name: 'shop' },
      waiting.id,
      { approve: false, reason: 'not during the sale' },
    );
    expect(onDecided).toHaveBeenCalledWith(rejected);
    // userEvent types the reason key by key: slow on a loaded machine.
  }, 20_000);

  it('lets a platform admin approve it, once confirmed', async () => {
    const approved = { ...waiting, state: 'in-progress' as const };
    const decideRestore = jest.fn().mockResolvedValue(approved);
    const { onDecided } = await renderTable(
      [openebsStorageRestoreInPlacePermission.name],
      decideRestore,
      'component:shop/shop-admin',
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: `Approve restore ${waiting.restoreName}`,
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: `Approve the in-place restore ${waiting.restoreName}?`,
    });
    expect(
      within(dialog).getByText(
        /it stops the workloads, deletes the claims, restores them and starts the workloads again/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(decideRestore).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'shop', name: 'shop-admin' },
      waiting.id,
      { approve: true },
    );
    expect(onDecided).toHaveBeenCalledWith(approved);
  });
});
