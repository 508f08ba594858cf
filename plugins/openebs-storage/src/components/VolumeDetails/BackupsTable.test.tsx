import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  VolumeStatus,
  openebsStorageRestoreCreatePermission,
  openebsStorageRestoreInPlacePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../../api';
import { RestoreContext } from '../RestoreDialog';
import {
  deletedVolume,
  freezeClock,
  fullStorage,
  hostpathVolume,
} from '../../testing/fixtures';
import { fakePermissionApi } from '../../testing/permissions';
import { inProgressRestore, shopRestoreContents } from '../../testing/restores';
import { BackupsTable } from './BackupsTable';

const [labA] = fullStorage.clusters;

/**
 * data-shop-0 with, besides its three restorable backups, one that failed,
 * one still running, and one in the unavailable `secondary` location.
 */
const volume: VolumeStatus = {
  ...hostpathVolume,
  backups: [
    ...hostpathVolume.backups,
    {
      backupName: 'manual-failed',
      method: 'fs-backup',
      phase: 'Failed',
      backupPhase: 'Failed',
      startedAt: '2026-11-14T10:00:00Z',
      message: 'pod volume backup failed: node-agent not running',
    },
    {
      backupName: 'manual-running',
      method: 'fs-backup',
      phase: 'InProgress',
      backupPhase: 'InProgress',
      startedAt: '2026-11-17T11:58:00Z',
    },
    {
      backupName: 'dr-20261110',
      method: 'fs-backup',
      phase: 'Completed',
      backupPhase: 'Completed',
      storageLocation: 'secondary',
      startedAt: '2026-11-10T02:00:00Z',
    },
  ],
};
const cluster = {
  ...labA,
  volumes: labA.volumes.map(v => (v.uid === volume.uid ? volume : v)),
};

async function renderBackups(
  entityRef: CompoundEntityRef,
  allowed: string[],
  shown: VolumeStatus = volume,
) {
  const onRequested = jest.fn();
  const requestRestore = jest.fn().mockResolvedValue(inProgressRestore);
  const previewRestore = jest.fn().mockResolvedValue({
    targetNamespace: 'shop-restore-20261117-1200',
    contents: shopRestoreContents,
  });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [openebsStorageApiRef, { requestRestore, previewRestore }],
        [permissionApiRef, fakePermissionApi(allowed)],
      ]}
    >
      <RestoreContext.Provider
        value={{
          entityRef,
          clusters: [{ ...cluster, volumes: [...cluster.volumes, shown] }],
          onRequested,
        }}
      >
        <BackupsTable
          volume={shown}
          serviceLevels={fullStorage.serviceLevels}
        />
      </RestoreContext.Provider>
    </TestApiProvider>,
  );
  const table = screen.getByRole('table', { name: `Backups of ${shown.name}` });
  const restoreOf = (backupName: string) =>
    within(within(table).getByText(backupName).closest('tr')!).getByRole(
      'button',
      { name: 'Restore…' },
    );
  const rowOf = (backupName: string) =>
    within(within(table).getByText(backupName).closest('tr')!);
  return { table, rowOf, restoreOf, onRequested, requestRestore };
}

describe('BackupsTable restore actions', () => {
  beforeEach(() => freezeClock());
  afterEach(() => jest.useRealTimers());

  it('offers Restore… on finished backups, and says why not on the others', async () => {
    const { table, rowOf, restoreOf } = await renderBackups(
      { kind: 'Component', namespace: 'shop', name: 'shop' },
      [openebsStorageRestoreCreatePermission.name],
    );

    await waitFor(() =>
      expect(restoreOf('daily-20261116020000')).toBeEnabled(),
    );
    expect(
      within(table).getByRole('columnheader', { name: 'Actions' }),
    ).toBeInTheDocument();
    // "Restore…" never wraps its ellipsis onto a line of its own.
    expect(restoreOf('daily-20261116020000')).toHaveStyle({
      whiteSpace: 'nowrap',
    });
    expect(
      screen.queryByText(/You cannot restore these backups/),
    ).not.toBeInTheDocument();
    expect(restoreOf('manual-20261115')).toBeEnabled();
    // Partially failed backups can be restored (with a caution in the dialog).
    expect(restoreOf('daily-20261117020000')).toBeEnabled();

    expect(restoreOf('manual-failed')).toBeDisabled();
    expect(restoreOf('manual-failed')).toHaveAccessibleDescription(
      'Backup manual-failed is Failed: only a Completed or PartiallyFailed backup can be restored.',
    );
    expect(restoreOf('manual-running')).toBeDisabled();
    expect(restoreOf('manual-running')).toHaveAccessibleDescription(
      'Backup manual-running has not finished (InProgress): it can be restored once it is Completed.',
    );

    // Why, at a glance, under each disabled button.
    expect(rowOf('manual-failed').getByText('backup Failed')).toBeVisible();
    expect(
      rowOf('manual-running').getByText('backup InProgress'),
    ).toBeVisible();
    expect(
      rowOf('dr-20261110').getByText('location secondary unavailable'),
    ).toBeVisible();
    expect(
      rowOf('daily-20261116020000').queryByText(/unavailable|missing/),
    ).not.toBeInTheDocument();

    const unavailable = restoreOf('dr-20261110');
    expect(unavailable).toBeDisabled();
    // The reason is also the tooltip of the disabled button.
    await userEvent.hover(unavailable.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Backup storage location secondary is Unavailable: restores cannot read the backup.',
    );
  });

  it('says which permission is missing', async () => {
    const { rowOf, restoreOf } = await renderBackups(
      { kind: 'Component', namespace: 'shop', name: 'shop-readonly' },
      [],
    );

    await waitFor(() =>
      expect(restoreOf('daily-20261116020000')).toHaveAccessibleDescription(
        "Restoring needs the openebs.storage.restore.create permission on component:shop/shop-readonly. Ask the entity's owners or your Backstage administrators to grant it.",
      ),
    );
    expect(restoreOf('daily-20261116020000')).toBeDisabled();
    // On the page, not only in a tooltip: once in full, briefly per backup.
    expect(
      screen.getByText(
        "You cannot restore these backups: Restoring needs the openebs.storage.restore.create permission on component:shop/shop-readonly. Ask the entity's owners or your Backstage administrators to grant it.",
      ),
    ).toBeVisible();
    expect(
      rowOf('daily-20261116020000').getByText('permission missing'),
    ).toBeVisible();
    expect(
      rowOf('manual-failed').getByText('permission missing · backup Failed'),
    ).toBeVisible();
  });

  it('offers to restore a deleted claim, in place too for platform admins', async () => {
    const { restoreOf } = await renderBackups(
      { kind: 'Component', namespace: 'shop', name: 'shop-deleted-admin' },
      [
        openebsStorageRestoreCreatePermission.name,
        openebsStorageRestoreInPlacePermission.name,
      ],
      deletedVolume,
    );
    await waitFor(() =>
      expect(restoreOf('daily-20261116020000')).toBeEnabled(),
    );

    await userEvent.click(restoreOf('daily-20261116020000'));
    const dialog = await screen.findByRole('dialog', {
      name: 'Restore from backup daily-20261116020000',
    });
    // The deleted claim comes first and is chosen; the live data-shop-0,
    // also in that backup, can be added.
    expect(
      within(dialog).getByRole('checkbox', { name: 'data-shop-1' }),
    ).toBeChecked();
    expect(
      within(dialog).getByRole('checkbox', { name: 'data-shop-0' }),
    ).not.toBeChecked();

    await userEvent.click(
      await within(dialog).findByRole('radio', { name: 'In place' }),
    );
    // Nothing to delete first: the claim is gone already.
    expect(
      within(dialog).getByText('The portal replaces the data in place'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        /The claims data-shop-1 no longer exist: the restore recreates them in namespace shop from the backup/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByText('Remove the workload and its claims first'),
    ).not.toBeInTheDocument();
  });

  it('opens the dialog with the volumes the backup copied, and reports the request', async () => {
    const entityRef = { kind: 'Component', namespace: 'shop', name: 'shop' };
    const { restoreOf, onRequested, requestRestore } = await renderBackups(
      entityRef,
      [openebsStorageRestoreCreatePermission.name],
    );
    await waitFor(() =>
      expect(restoreOf('daily-20261116020000')).toBeEnabled(),
    );

    await userEvent.click(restoreOf('daily-20261116020000'));

    const dialog = await screen.findByRole('dialog', {
      name: 'Restore from backup daily-20261116020000',
    });
    // Only data-shop-0 was in that backup.
    expect(within(dialog).getAllByRole('checkbox')).toHaveLength(1);
    expect(
      within(dialog).getByRole('checkbox', { name: 'data-shop-0' }),
    ).toBeChecked();
    expect(
      within(dialog).queryByText(/partially failed/),
    ).not.toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Restore' }),
    );

    await waitFor(() =>
      expect(onRequested).toHaveBeenCalledWith(inProgressRestore),
    );
    expect(requestRestore).toHaveBeenCalledWith(
      entityRef,
      expect.objectContaining({
        backupName: 'daily-20261116020000',
        volumes: ['data-shop-0'],
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('leaves restores from a namespace without a recorded owner to platform admins', async () => {
    // This file never grants openebs.storage.restore.admin (a basic
    // permission, cached for the whole file); RestoreButton.test.tsx does.
    const { rowOf, restoreOf } = await renderBackups(
      { kind: 'Component', namespace: 'shop', name: 'shop-unowned' },
      [openebsStorageRestoreCreatePermission.name],
      { ...volume, namespaceOwner: undefined },
    );

    await waitFor(() =>
      expect(restoreOf('daily-20261116020000')).toHaveAccessibleDescription(
        'Owner not recorded: restores by platform admins only. The platform records no owner for namespace shop, so restoring from it needs the openebs.storage.restore.admin permission.',
      ),
    );
    expect(restoreOf('daily-20261116020000')).toBeDisabled();
    expect(
      rowOf('daily-20261116020000').getByText('owner not recorded'),
    ).toBeVisible();
    expect(
      rowOf('manual-failed').getByText('owner not recorded · backup Failed'),
    ).toBeVisible();
  });
});
