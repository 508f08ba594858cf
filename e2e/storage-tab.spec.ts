/*
 * A developer's story, in a real browser against the real portal and a lab
 * Kubernetes API seeded by plugins/openebs-storage-backend/dev/seedDemo.ts:
 * sign in, find their service in the catalog, and check on its Storage tab
 * where its data lives and whether it is backed up; then compare with two
 * services that are not so well off.
 *
 * Run it with scripts/e2e.sh (starts and stops everything it needs).
 */
import { expect, test } from '@playwright/test';
import {
  detachFromDevServer,
  entityHealth,
  expandVolume,
  keepScreenshot,
  openStorageTab,
  signInAsGuest,
  volumeRow,
  volumesTable,
} from './portal';

test.beforeEach(async ({ page }) => {
  await detachFromDevServer(page);
});

test('a developer checks where their services keep data and whether it is backed up', async ({
  page,
}) => {
  await signInAsGuest(page);

  await test.step('shop: two hostpath volumes, each on its own node, and a deleted claim', async () => {
    await openStorageTab(page, 'shop');

    const table = volumesTable(page);
    await expect(table).toBeVisible();
    // Two live volumes and one deleted claim: one expand button each.
    await expect(
      table.getByRole('button', { name: /^Details of shop\// }),
    ).toHaveCount(3);

    for (const [pvc, node] of [
      ['data-postgres-0', 'lab-node-1'],
      ['data-postgres-1', 'lab-node-2'],
    ]) {
      const row = volumeRow(page, pvc);
      await expect(
        row.getByRole('cell', { name: 'shop', exact: true }),
      ).toBeVisible();
      // The class, and under it the engine as people say it.
      await expect(
        row.getByText('openebs-localpv-hostpath', { exact: true }),
      ).toBeVisible();
      await expect(
        row.getByText('OpenEBS hostpath', { exact: true }),
      ).toBeVisible();
      // The node that holds the data of a local volume.
      await expect(
        row.getByRole('cell', { name: node, exact: true }),
      ).toBeVisible();
      await expect(
        row.getByRole('cell', { name: '10Gi / 10Gi' }),
      ).toBeVisible();
      await expect(
        row.getByRole('cell', { name: 'Bound', exact: true }),
      ).toBeVisible();
      await expect(row.getByText('Protected', { exact: true })).toBeVisible();
      await expect(
        row.getByText(/last good backup daily-20261126020000/),
      ).toBeVisible();
    }
  });

  await test.step('shop: a deleted claim, restorable from its backup', async () => {
    const row = volumeRow(page, 'data-postgres-2');
    await expect(row.getByText('Deleted', { exact: true })).toBeVisible();
    await expect(row.getByText('restorable from backup')).toBeVisible();
    await expect(
      row.getByText('unknown (claim deleted)', { exact: true }),
    ).toBeVisible();
    // No node, no capacity, no provisioning: the claim is gone.
    await expect(row.getByRole('cell', { name: '—', exact: true })).toHaveCount(
      3,
    );
    await expect(row.getByText('Unknown', { exact: true })).toBeVisible();
    await expect(
      row.getByText(
        'The claim was deleted; its last good backup daily-20261125020000 can be restored',
      ),
    ).toBeVisible();
  });

  await test.step('shop: protected as a whole', async () => {
    await expect(
      entityHealth(page).getByText('Protected', { exact: true }),
    ).toBeVisible();
    await expect(
      entityHealth(page).getByText('All 2 volumes are protected'),
    ).toBeVisible();
    const byStatus = page.getByRole('list', { name: 'Volumes by status' });
    await expect(byStatus.getByText('Protected: 2')).toBeVisible();
    await expect(byStatus.getByText('At risk: 0')).toBeVisible();
    await expect(byStatus.getByText('Unprotected: 0')).toBeVisible();
    // The deleted claim: history, not part of the entity's rating.
    await expect(byStatus.getByText('Unknown: 1')).toBeVisible();
    await expect(
      page
        .getByRole('list', { name: 'Service levels' })
        .getByText(
          "Last good backup: no older than its schedule's newest due run",
        ),
    ).toBeVisible();
  });

  await test.step('shop: the backups that copied a volume, and where they go', async () => {
    await expandVolume(page, 'shop', 'data-postgres-0');
    const backups = page.getByRole('table', {
      name: 'Backups of data-postgres-0',
    });
    await expect(backups).toBeVisible();
    for (const name of ['daily-20261126020000', 'daily-20261125020000']) {
      const row = backups.getByRole('row').filter({ hasText: name });
      await expect(row.getByText('File system (Kopia)')).toBeVisible();
      await expect(row.getByText('Completed', { exact: true })).toBeVisible();
      await expect(row.getByText('schedule daily')).toBeVisible();
      // 95 s, within the 5 min service level.
      await expect(
        row.getByRole('cell', { name: '1 min 35 s', exact: true }),
      ).toBeVisible();
      await expect(
        row.getByRole('cell', { name: '700 MiB', exact: true }),
      ).toBeVisible();
    }
    await expect(
      page.getByRole('list', { name: 'Schedules covering data-postgres-0' }),
    ).toContainText('daily — cron 0 2 * * *');
    // Hostpath is not a CSI driver: no snapshot is shown or offered.
    await expect(
      page.getByText(
        'hostpath volumes cannot be snapshotted; protected by Velero file-system backups',
      ),
    ).toBeVisible();
    await expect(
      page.getByRole('table', { name: 'Snapshots of data-postgres-0' }),
    ).toHaveCount(0);

    const locations = page.getByRole('table', {
      name: 'Backup storage locations',
    });
    await expect(
      locations.getByRole('row').filter({ hasText: 'default (default)' }),
    ).toContainText('Available');
    const schedules = page.getByRole('table', { name: 'Backup schedules' });
    await expect(
      schedules.getByRole('row').filter({ hasText: 'daily' }),
    ).toContainText('0 2 * * *');

    await keepScreenshot(page, 'storage-tab.png');
  });

  await test.step('analytics: an LVM volume with a snapshot, at risk', async () => {
    await openStorageTab(page, 'analytics');

    const row = volumeRow(page, 'clickhouse-data');
    await expect(row.getByText('OpenEBS LVM', { exact: true })).toBeVisible();
    await expect(
      row.getByText('openebs-localpv-device', { exact: true }),
    ).toBeVisible();
    await expect(
      row.getByRole('cell', { name: 'lab-node-2', exact: true }),
    ).toBeVisible();
    await expect(row.getByText('At risk', { exact: true })).toBeVisible();
    await expect(
      row.getByText('Newest backup daily-analytics-partial partially failed'),
    ).toBeVisible();

    await expect(
      entityHealth(page).getByText('At risk', { exact: true }),
    ).toBeVisible();
    await expect(
      entityHealth(page).getByText('1 of 1 volume at risk: clickhouse-data'),
    ).toBeVisible();

    await expandVolume(page, 'analytics', 'clickhouse-data');
    const snapshots = page.getByRole('table', {
      name: 'Snapshots of clickhouse-data',
    });
    await expect(
      snapshots.getByRole('cell', {
        name: 'clickhouse-before-upgrade',
        exact: true,
      }),
    ).toBeVisible();
    await expect(
      snapshots.getByRole('cell', {
        name: 'openebs-lvm-snapshots',
        exact: true,
      }),
    ).toBeVisible();

    // The volume was copied, but the Backup as a whole partially failed, and
    // it took longer than the 5 min service level.
    const backup = page
      .getByRole('table', { name: 'Backups of clickhouse-data' })
      .getByRole('row')
      .filter({ hasText: 'daily-analytics-partial' });
    await expect(backup.getByText('Backup: PartiallyFailed')).toBeVisible();
    await expect(
      backup.getByText('6 min 40 s (over the 5 min limit)'),
    ).toBeVisible();
    await keepScreenshot(page, 'storage-tab-analytics.png');
  });

  await test.step('legacy-uploads: not on OpenEBS and never backed up', async () => {
    await openStorageTab(page, 'legacy-uploads');

    const row = volumeRow(page, 'uploads');
    await expect(
      row.getByRole('cell', { name: 'legacy', exact: true }),
    ).toBeVisible();
    await expect(row.getByText('legacy-nfs', { exact: true })).toBeVisible();
    await expect(
      row.getByText('not OpenEBS (migration candidate)', { exact: true }),
    ).toBeVisible();
    await expect(row.getByText('Unprotected', { exact: true })).toBeVisible();
    await expect(
      row.getByText('No active Velero schedule includes namespace legacy'),
    ).toBeVisible();
    await expect(
      row.getByRole('cell', { name: 'never', exact: true }),
    ).toBeVisible();

    await expect(
      entityHealth(page).getByText('Unprotected', { exact: true }),
    ).toBeVisible();
    await expect(
      entityHealth(page).getByText('1 of 1 volume unprotected: uploads'),
    ).toBeVisible();

    // A schedule exists (daily), but not for this entity's namespace.
    await expect(
      page.getByText(
        'No Velero schedule covers namespace legacy: nothing of this entity is backed up automatically.',
      ),
    ).toBeVisible();

    await expandVolume(page, 'legacy', 'uploads');
    await expect(
      page.getByText('No backup has copied this volume yet.'),
    ).toBeVisible();
    await expect(
      page.getByText(/^No Velero schedule covers this volume/),
    ).toBeVisible();
    await keepScreenshot(page, 'storage-tab-legacy-uploads.png');
  });
});
