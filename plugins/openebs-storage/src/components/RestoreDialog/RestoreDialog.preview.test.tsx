import { act, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RestorePreview } from '@openebs-portal/plugin-openebs-storage-common';
import {
  admin,
  developer,
  previewOf,
  renderDialog,
  responseError,
  setUpDialogTests,
} from './__testUtils__/renderRestoreDialog';

/** The items of one list of "What comes back", as read. */
function listed(dialog: HTMLElement, name: string) {
  const region = within(dialog).getByRole('region', {
    name: 'What comes back',
  });
  return within(within(region).getByRole('list', { name }))
    .getAllByRole('listitem')
    .map(item => item.textContent);
}

describe('RestoreDialog: what comes back', () => {
  setUpDialogTests();

  it("shows what comes back: all of the entity's pods in the namespace with their claims", async () => {
    const previewRestore = jest.fn(previewOf);
    const entityRef = { kind: 'Component', namespace: 'shop', name: 'shop' };
    const { dialog } = await renderDialog({
      entityRef,
      allowed: developer,
      requestRestore: jest.fn(),
      previewRestore,
    });

    const region = await within(dialog).findByRole('region', {
      name: 'What comes back',
    });
    expect(
      await within(region).findByText(
        /Velero restores all of the entity's pods in namespace shop with their claims, not only the volumes ticked above/,
      ),
    ).toHaveTextContent('Into namespace shop-restore-20261117-1200 come back:');
    // Only data-shop-0 is ticked: data-db-0 comes back all the same.
    expect(listed(dialog, 'Claims')).toEqual([
      'data-shop-0',
      'data-db-0 (not ticked: comes back too)',
    ]);
    expect(listed(dialog, 'Workloads')).toEqual([
      'StatefulSet/shop',
      'StatefulSet/db',
    ]);
    expect(
      within(region).queryByText(/must be absent/),
    ).not.toBeInTheDocument();
    // Asked as the request would be made, without its idempotency key.
    expect(previewRestore).toHaveBeenLastCalledWith(entityRef, {
      cluster: 'lab-a',
      backupName: 'daily-20261117020000',
      namespace: 'shop',
      volumes: ['data-shop-0'],
      mode: 'new-namespace',
      targetNamespace: 'shop-restore-20261117-1200',
    });

    // An invalid form asks nothing and shows nothing.
    const calls = previewRestore.mock.calls.length;
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'data-shop-0' }),
    );
    expect(
      within(dialog).queryByRole('region', { name: 'What comes back' }),
    ).not.toBeInTheDocument();
    // Longer than the preview's delay.
    await act(() => new Promise(resolve => setTimeout(resolve, 400)));
    expect(previewRestore).toHaveBeenCalledTimes(calls);
    // The first test of the file also pays for warming up the renderer.
  }, 15_000);

  it('keeps only the answer to the form as it is now, whatever answers last', async () => {
    let answerFirst: (preview: RestorePreview) => void = () => {};
    const previewRestore = jest
      .fn(previewOf)
      .mockImplementationOnce(
        () => new Promise<RestorePreview>(resolve => (answerFirst = resolve)),
      );
    const { dialog } = await renderDialog({
      entityRef: { kind: 'Component', namespace: 'shop', name: 'shop' },
      allowed: developer,
      requestRestore: jest.fn(),
      previewRestore,
    });
    // The first question (the generated namespace) stays unanswered.
    await waitFor(() => expect(previewRestore).toHaveBeenCalledTimes(1));
    const region = within(dialog).getByRole('region', {
      name: 'What comes back',
    });
    expect(
      within(region).getByText(
        'Asking the backend what this restore brings back…',
      ),
    ).toBeInTheDocument();

    const target = within(dialog).getByRole('textbox', {
      name: 'Target namespace',
    });
    await userEvent.clear(target);
    await userEvent.type(target, 'shop-verify');
    const whatComesBack = () =>
      within(dialog).getByRole('region', { name: 'What comes back' });
    await waitFor(() =>
      expect(whatComesBack()).toHaveTextContent(
        'Into namespace shop-verify come back',
      ),
    );
    expect(previewRestore).toHaveBeenLastCalledWith(
      expect.anything(),
      expect.objectContaining({ targetNamespace: 'shop-verify' }),
    );

    // The answer to the old question arrives last: it is not shown.
    answerFirst({
      targetNamespace: 'shop-restore-20261117-1200',
      contents: { claims: ['stale-claim'], workloads: [] },
    });
    await act(() => new Promise(resolve => setTimeout(resolve, 50)));
    expect(whatComesBack()).toHaveTextContent(
      'Into namespace shop-verify come back',
    );
    expect(within(dialog).queryByText('stale-claim')).not.toBeInTheDocument();
  });

  it("shows a refused preview's reason before submitting, and offers Restore once it passes", async () => {
    const reason =
      'Namespace shop-restore-20261117-1200 exists and belongs to component:shop/billing.';
    const previewRestore = jest
      .fn(previewOf)
      .mockRejectedValueOnce(await responseError(409, 'ConflictError', reason));
    const requestRestore = jest.fn();
    const { dialog } = await renderDialog({
      entityRef: { kind: 'Component', namespace: 'shop', name: 'shop' },
      allowed: developer,
      requestRestore,
      previewRestore,
    });

    const region = within(
      await within(dialog).findByRole('region', { name: 'What comes back' }),
    );
    expect(
      await region.findByText('The target namespace cannot be used'),
    ).toBeInTheDocument();
    expect(region.getByText(reason)).toBeInTheDocument();
    const submit = within(dialog).getByRole('button', { name: 'Restore' });
    expect(submit).toBeDisabled();

    // The namespace was freed meanwhile: the same question, asked again.
    await userEvent.click(region.getByRole('button', { name: 'Check again' }));

    expect(await region.findByRole('list', { name: 'Claims' })).toBeVisible();
    expect(
      region.queryByText('The target namespace cannot be used'),
    ).not.toBeInTheDocument();
    expect(submit).toBeEnabled();
    expect(previewRestore).toHaveBeenCalledTimes(2);
    expect(previewRestore.mock.calls[1]).toEqual(previewRestore.mock.calls[0]);
    expect(requestRestore).not.toHaveBeenCalled();
  });

  it('shows in place what the portal stops and deletes before the restore', async () => {
    const previewRestore = jest.fn(
      async (...args: Parameters<typeof previewOf>) => ({
        ...(await previewOf(...args)),
        ...(args[1].mode === 'in-place' && {
          inPlace: {
            workloads: ['StatefulSet/shop'],
            claimsRemoved: ['data-shop-0'],
            onDeadNodes: ['data-shop-0'],
          },
        }),
      }),
    );
    const { dialog } = await renderDialog({
      entityRef: { kind: 'Component', namespace: 'shop', name: 'shop-admin' },
      allowed: admin,
      requestRestore: jest.fn(),
      previewRestore,
    });
    await userEvent.click(
      await within(dialog).findByRole('radio', { name: 'In place' }),
    );
    // Asked once the request is complete: the namespace typed to confirm.
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Type shop to confirm' }),
      'shop',
    );
    await waitFor(() =>
      expect(
        listed(dialog, 'Stopped first, and started again after the restore'),
      ).toEqual(['StatefulSet/shop']),
    );
    expect(
      listed(dialog, 'Deleted before the restore (their current data is lost)'),
    ).toEqual([
      'data-shop-0 (on a node that is down: its volume is deleted too)',
    ]);
  });

  it('keeps Restore available when the preview could not be answered', async () => {
    const previewRestore = jest
      .fn(previewOf)
      .mockRejectedValue(new TypeError('Failed to fetch'));
    const { dialog } = await renderDialog({
      entityRef: { kind: 'Component', namespace: 'shop', name: 'shop' },
      allowed: developer,
      requestRestore: jest.fn(),
      previewRestore,
    });

    expect(
      await within(dialog).findByText(
        /What this restore brings back could not be checked: Failed to fetch/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Restore' }),
    ).toBeEnabled();
  });
});
