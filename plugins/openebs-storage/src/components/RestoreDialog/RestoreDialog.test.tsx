import { getDefaultNormalizer, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  RestoreRequest,
  RestoreRequestInput,
} from '@openebs-portal/plugin-openebs-storage-common';
import { inProgressRestore } from '../../testing/restores';
import {
  admin,
  developer,
  renderDialog,
  responseError,
  setUpDialogTests,
} from './__testUtils__/renderRestoreDialog';

describe('RestoreDialog', () => {
  setUpDialogTests();

  it('restores into a new, generated namespace by default, and says in place waits for approval for a developer', async () => {
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

    // In place without its permission: offered, but it waits for approval.
    await waitFor(() =>
      expect(
        within(dialog).getByText(
          /In place needs a platform admin's approval \(the openebs\.storage\.restore\.inplace permission\): your request waits until one approves it/,
        ),
      ).toBeInTheDocument(),
    );
    expect(
      within(dialog).getByRole('radio', { name: 'In place' }),
    ).not.toBeChecked();

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
    // The first test of the file also pays for warming up the renderer.
  }, 15_000);

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
      within(dialog).getByText('The portal replaces the data in place'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        /The claims data-shop-0 are deleted and recreated from the backup: their current data is lost\. The portal leads the steps: it scales the workloads that mount them to zero/,
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

    await within(dialog).findByRole('region', { name: 'What comes back' });

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

  it('says when too many restores are in progress, with the cap the server names', async () => {
    const reason =
      'component:shop/shop already has 2 restores in progress (shop-restore-20261117-1150-x7k2p, shop-restore-20261117-1155-a1b2c), the most one entity may have: wait for one of them to end.';
    const requestRestore = jest
      .fn()
      .mockRejectedValue(
        await responseError(429, 'TooManyRequestsError', reason),
      );
    const { dialog, onRequested } = await renderDialog({
      entityRef: { kind: 'Component', namespace: 'shop', name: 'shop' },
      allowed: developer,
      requestRestore,
    });

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Restore' }),
    );

    expect(
      await within(dialog).findByText('Too many restores in progress'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText(reason)).toBeInTheDocument();
    expect(onRequested).not.toHaveBeenCalled();
  });
});
