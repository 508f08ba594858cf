/*
 * A developer's story, in a real browser against the real portal and a lab
 * Kubernetes API seeded by plugins/openebs-storage-backend/dev/seedDemo.ts:
 * sign in, find their service in the catalog, and check on its Storage tab
 * where its data lives and whether it is backed up; then compare with two
 * services that are not so well off.
 *
 * Run it with scripts/e2e.sh (starts and stops everything it needs).
 */
import { expect, Locator, Page, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

const artifacts = path.resolve(__dirname, 'artifacts');

/** The Volumes table of the Storage tab. */
function volumesTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Volumes' });
}

/** The row of one PersistentVolumeClaim in the Volumes table. */
function volumeRow(page: Page, pvc: string): Locator {
  return volumesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: pvc, exact: true }) });
}

/** The entity's own rating in the "Storage health" card. */
function entityHealth(page: Page): Locator {
  // The innermost block holding the "Entity" heading: the chip and reason.
  return page
    .locator('div')
    .filter({ has: page.getByRole('heading', { name: 'Entity', exact: true }) })
    .last();
}

/** Opens a component from the catalog list, then its Storage tab. */
async function openStorageTab(page: Page, component: string) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Catalog' })
    .click();
  // All components, not only the ones the guest owns.
  await page.getByRole('menuitem', { name: /^All/ }).click();
  await page
    .getByRole('table')
    .getByRole('link', { name: component, exact: true })
    .click();
  await expect(
    page.getByRole('heading', { name: component, exact: true }),
  ).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Storage' })
    .click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${component}/storage$`),
  );
  // Loaded: the tab says when its data was read.
  await expect(
    page.getByText(/^As of \d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
  ).toBeVisible();
}

/** Expands a volume row into its details (backups, schedules, snapshots). */
async function expandVolume(page: Page, namespace: string, pvc: string) {
  const toggle = page.getByRole('button', {
    name: `Details of ${namespace}/${pvc} in lab`,
  });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
}

/** A full-page screenshot in e2e/artifacts, for people to look at. */
async function keepScreenshot(page: Page, name: string) {
  fs.mkdirSync(artifacts, { recursive: true });
  // Expanded details open with a height transition: finish it, or the
  // picture cuts them off.
  await page.screenshot({
    path: path.join(artifacts, name),
    fullPage: true,
    animations: 'disabled',
  });
}

test.beforeEach(async ({ page }) => {
  // The app runs in its dev server, which reloads the page whenever a source
  // file changes. Answer its live-reload socket here instead, silently, so
  // that an edit elsewhere in the repository cannot reload the page mid-story.
  await page.routeWebSocket(/\/ws$/, () => {});
});

test('a developer checks where their services keep data and whether it is backed up', async ({
  page,
}) => {
  await test.step('sign in as a guest', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Enter' }).click();
    await expect(
      page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Catalog' }),
    ).toBeVisible();
  });

  await test.step('shop: two hostpath volumes, each on its own node', async () => {
    await openStorageTab(page, 'shop');

    const table = volumesTable(page);
    await expect(table).toBeVisible();
    // Exactly two volumes: one expand button each.
    await expect(
      table.getByRole('button', { name: /^Details of shop\// }),
    ).toHaveCount(2);

    for (const [pvc, node] of [
      ['data-postgres-0', 'lab-node-1'],
      ['data-postgres-1', 'lab-node-2'],
    ]) {
      const row = volumeRow(page, pvc);
      await expect(
        row.getByRole('cell', { name: 'shop', exact: true }),
      ).toBeVisible();
      await expect(
        row.getByRole('cell', {
          name: 'openebs-localpv-hostpath',
          exact: true,
        }),
      ).toBeVisible();
      await expect(
        row.getByRole('cell', { name: 'OpenEBS hostpath', exact: true }),
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
    await expect(
      row.getByRole('cell', { name: 'OpenEBS LVM', exact: true }),
    ).toBeVisible();
    await expect(
      row.getByRole('cell', { name: 'openebs-localpv-device', exact: true }),
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
    await expect(
      row.getByRole('cell', { name: 'legacy-nfs', exact: true }),
    ).toBeVisible();
    await expect(
      row.getByRole('cell', {
        name: 'not OpenEBS (migration candidate)',
        exact: true,
      }),
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
