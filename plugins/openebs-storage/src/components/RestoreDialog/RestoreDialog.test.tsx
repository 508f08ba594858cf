import {
  getDefaultNormalizer,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  RestoreRequest,
  RestoreRequestInput,
  openebsStorageRestoreCreatePermission,
  openebsStorageRestoreInPlacePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { OpenebsStorageApi, openebsStorageApiRef } from '../../api';
import {
  freezeClock,
  fullStorage,
  hostpathVolume,
} from '../../testing/fixtures';
import { fakePermissionApi } from '../../testing/permissions';
import { inProgressRestore } from '../../testing/restores';
import { RestoreDialog } from './RestoreDialog';
import { restoreCandidates } from './restoreRules';

const [labA] = fullStorage.clusters;
// Newest backup of data-shop-0: PartiallyFailed, and it also copied data-db-0.
const partialBackup = hostpathVolume.backups[1];

async function responseError(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      {
        status,
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}

async function renderDialog(options: {
  /**
   * usePermission caches decisions per permission and entity for the whole
   * test file: each permission set gets its own entity.
   */
  entityRef: CompoundEntityRef;
  allowed: string[];
  requestRestore: OpenebsStorageApi['requestRestore'];
}) {
  const onClose = jest.fn();
  const onRequested = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [openebsStorageApiRef, { requestRestore: options.requestRestore }],
        [permissionApiRef, fakePermissionApi(options.allowed)],
      ]}
    >
      <RestoreDialog
        entityRef={options.entityRef}
        backup={partialBackup}
        candidates={restoreCandidates(hostpathVolume, partialBackup, labA)}
        cluster={labA}
        onClose={onClose}
        onRequested={onRequested}
      />
    </TestApiProvider>,
  );
  return { dialog: await screen.findByRole('dialog'), onClose, onRequested };
}

const developer = [openebsStorageRestoreCreatePermission.name];
const admin = [
  openebsStorageRestoreCreatePermission.name,
  openebsStorageRestoreInPlacePermission.name,
];

describe('RestoreDialog', () => {
  beforeEach(() => {
    freezeClock();
    jest
      .spyOn(crypto, 'randomUUID')
      .mockReturnValueOnce('11111111-1111-4111-8111-111111111111')
      .mockReturnValueOnce('22222222-2222-4222-8222-222222222222');
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('restores into a new, generated namespace by default, without offering in place to a developer', async () => {
    const requestRestore = jest.fn().mockResolvedValue(inProgressRestore);
    const entityRef = { kind: 'Component', namespace: 'shop', name: 'shop' };
    const { dialog, onRequested } = await renderDialog({
      entityRef,
      allowed: developer,
      requestRestore,
    });

    expect(
      within(dialog).getByRole('heading', {
        name: 'Restore from backup daily-20261117020000',
      }),
    ).toBeInTheDocument();
    // A partially failed backup is offered, with a caution.
    expect(
      within(dialog).getByText(
        /This backup partially failed \(2 warnings, 1 error\)/,
      ),
    ).toBeInTheDocument();

    // The row's volume is preselected; the other volume the backup copied
    // in the namespace is offered.
    expect(
      within(dialog).getByRole('checkbox', { name: 'data-shop-0' }),
    ).toBeChecked();
    expect(
      within(dialog).getByRole('checkbox', { name: 'data-db-0' }),
    ).not.toBeChecked();
    expect(
      within(dialog).queryByRole('checkbox', { name: /cache-redis-0/ }),
    ).not.toBeInTheDocument();

    expect(
      within(dialog).getByRole('radio', {
        name: 'New namespace (recommended)',
      }),
    ).toBeChecked();
    expect(
      within(dialog).getByText(/never overwrites an existing one/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('textbox', { name: 'Target namespace' }),
    ).toHaveValue('shop-restore-20261117-1200');

    // In place needs its own permission: not offered, and the tab says why.
    await waitFor(() =>
      expect(
        within(dialog).getByText(
          /Restoring in place is not offered: it needs the openebs\.storage\.restore\.inplace permission/,
        ),
      ).toBeInTheDocument(),
    );
    expect(
      within(dialog).queryByRole('radio', { name: 'In place' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Restore' }),
    );

    await waitFor(() =>
      expect(onRequested).toHaveBeenCalledWith(inProgressRestore),
    );
    expect(requestRestore).toHaveBeenCalledTimes(1);
    expect(requestRestore).toHaveBeenCalledWith(entityRef, {
      requestId: '11111111-1111-4111-8111-111111111111',
      cluster: 'lab-a',
      backupName: 'daily-20261117020000',
      namespace: 'shop',
      volumes: ['data-shop-0'],
      mode: 'new-namespace',
      targetNamespace: 'shop-restore-20261117-1200',
    } satisfies RestoreRequestInput);
  });

  it('accepts only a valid, new namespace name', async () => {
    const requestRestore = jest.fn();
    const { dialog } = await renderDialog({
      entityRef: { kind: 'Component', namespace: 'shop', name: 'shop' },
      allowed: developer,
      requestRestore,
    });
    const target = within(dialog).getByRole('textbox', {
      name: 'Target namespace',
    });
    const submit = within(dialog).getByRole('button', { name: 'Restore' });

    await userEvent.clear(target);
    await userEvent.type(target, 'Shop_Restore');
    expect(
      within(dialog).getByText(/Lowercase letters, digits and '-' only/),
    ).toBeInTheDocument();
    expect(submit).toBeDisabled();

    await userEvent.clear(target);
    await userEvent.paste('a'.repeat(64));
    expect(
      within(dialog).getByText('At most 63 characters (this one has 64).'),
    ).toBeInTheDocument();
    expect(submit).toBeDisabled();

    await userEvent.clear(target);
    await userEvent.type(target, 'shop');
    expect(
      within(dialog).getByText(/This is the namespace the volumes came from/),
    ).toBeInTheDocument();
    expect(submit).toBeDisabled();

    await userEvent.clear(target);
    await userEvent.paste('a'.repeat(63));
    expect(submit).toBeEnabled();

    // No volume, no restore.
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'data-shop-0' }),
    );
    expect(
      within(dialog).getByText('Choose at least one volume.'),
    ).toBeInTheDocument();
    expect(submit).toBeDisabled();
    expect(requestRestore).not.toHaveBeenCalled();
  });

  it('restores in place only with its permission and the namespace typed to confirm', async () => {
    const requestRestore = jest.fn().mockResolvedValue({
      ...inProgressRestore,
      mode: 'in-place',
      targetNamespace: 'shop',
    } satisfies RestoreRequest);
    const entityRef = {
      kind: 'Component',
      namespace: 'shop',
      name: 'shop-admin-view',
    };
    const { dialog, onRequested } = await renderDialog({
      entityRef,
      allowed: admin,
      requestRestore,
    });

    await userEvent.click(
      await within(dialog).findByRole('radio', { name: 'In place' }),
    );
    expect(
      within(dialog).getByText('Remove the workload and its claims first'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        /scale the workload in namespace shop to zero and delete the claims data-shop-0/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByRole('textbox', { name: 'Target namespace' }),
    ).not.toBeInTheDocument();

    // Both volumes, listed order regardless of click order.
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'data-db-0' }),
    );

    const submit = within(dialog).getByRole('button', { name: 'Restore' });
    const confirmation = within(dialog).getByRole('textbox', {
      name: 'Type shop to confirm',
    });
    expect(submit).toBeDisabled();
    await userEvent.type(confirmation, 'sho');
    expect(submit).toBeDisabled();
    await userEvent.type(confirmation, 'p');
    expect(submit).toBeEnabled();

    await userEvent.click(submit);

    await waitFor(() => expect(onRequested).toHaveBeenCalled());
    expect(requestRestore).toHaveBeenCalledWith(entityRef, {
      requestId: '11111111-1111-4111-8111-111111111111',
      cluster: 'lab-a',
      backupName: 'daily-20261117020000',
      namespace: 'shop',
      volumes: ['data-shop-0', 'data-db-0'],
      mode: 'in-place',
      confirmation: 'shop',
    } satisfies RestoreRequestInput);
  });

  it("shows the server's reason verbatim, keeps the form, and retries with the same request id", async () => {
    const reason =
      'Namespace shop-verify exists and does not belong to component:shop/shop.\nChoose another target namespace.';
    const requestRestore = jest
      .fn()
      .mockRejectedValueOnce(await responseError(409, 'ConflictError', reason))
      .mockResolvedValueOnce(inProgressRestore);
    const entityRef = { kind: 'Component', namespace: 'shop', name: 'shop' };
    const { dialog, onRequested } = await renderDialog({
      entityRef,
      allowed: developer,
      requestRestore,
    });
    const target = within(dialog).getByRole('textbox', {
      name: 'Target namespace',
    });
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'data-db-0' }),
    );
    await userEvent.clear(target);
    await userEvent.type(target, 'shop-verify');

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Restore' }),
    );

    expect(
      await within(dialog).findByText('The target namespace cannot be used'),
    ).toBeInTheDocument();
    // Verbatim: line breaks included.
    expect(
      within(dialog).getByText(reason, {
        normalizer: getDefaultNormalizer({
          trim: false,
          collapseWhitespace: false,
        }),
      }),
    ).toBeInTheDocument();
    expect(onRequested).not.toHaveBeenCalled();
    // The form is as the user left it.
    expect(target).toHaveValue('shop-verify');
    expect(
      within(dialog).getByRole('checkbox', { name: 'data-db-0' }),
    ).toBeChecked();
    expect(
      within(dialog).getByRole('radio', {
        name: 'New namespace (recommended)',
      }),
    ).toBeChecked();

    await userEvent.type(target, '-2');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Restore' }),
    );

    await waitFor(() =>
      expect(onRequested).toHaveBeenCalledWith(inProgressRestore),
    );
    const expected = {
      requestId: '11111111-1111-4111-8111-111111111111',
      cluster: 'lab-a',
      backupName: 'daily-20261117020000',
      namespace: 'shop',
      volumes: ['data-shop-0', 'data-db-0'],
      mode: 'new-namespace',
    } satisfies Partial<RestoreRequestInput>;
    expect(requestRestore.mock.calls).toEqual([
      [entityRef, { ...expected, targetNamespace: 'shop-verify' }],
      [entityRef, { ...expected, targetNamespace: 'shop-verify-2' }],
    ]);
  });

  it('sends one request however often Restore is clicked', async () => {
    const requestRestore = jest.fn(() => new Promise<RestoreRequest>(() => {}));
    const { dialog } = await renderDialog({
      entityRef: { kind: 'Component', namespace: 'shop', name: 'shop' },
      allowed: developer,
      requestRestore,
    });
    const submit = within(dialog).getByRole('button', { name: 'Restore' });

    // The second click lands on a disabled button: let it try anyway.
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.dblClick(submit);
    await user.click(submit);

    expect(
      within(dialog).getByRole('button', { name: 'Requesting…' }),
    ).toBeDisabled();
    expect(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    ).toBeDisabled();
    expect(requestRestore).toHaveBeenCalledTimes(1);
  });
});
