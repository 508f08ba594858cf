/*
 * The restore story on the full lab, in Chromium, as the restore proof
 * (lab/proof/run.sh) tells it with scripts: the owner of `shop` has a
 * dataset shaped like what copies lose on its real volume (on the node, on
 * the OpenEBS class), backed up by Velero; the tab shows that backup with
 * its real duration. The volume is destroyed with its workload; the owner
 * requests a restore into a new namespace from the deleted claim's backup,
 * and the portal follows Velero's real restore to Completed. The restored
 * volume equals the original entry by entry (lab/proof/compare.sh), and a
 * file written after the backup is absent.
 *
 * Then S3 is stopped: the tab shows the storage location Unavailable (as
 * Velero finds it), offers no restore and says why, and the backend refuses
 * one sent anyway with a clear message.
 *
 * Nothing plays Velero here: Velero 1.18.1 with its node-agent restores from
 * the HTTPS S3 (docs/lab.md). Run with
 * `E2E_FULL_LAB=lab/_state-proof scripts/e2e.sh` (scripts/test.sh does, after
 * the restore proof): `shop` is lab/platform/demo-shop.yaml, put on the lab,
 * with its first backup shop-first, by lab/platform/demo-up.sh.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import type { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import { formatDuration } from '@openebs-portal/plugin-openebs-storage-common';
import {
  backupRow,
  detachFromDevServer,
  entityApi,
  expandVolume,
  keepScreenshot,
  openStorageTab,
  requestRestore,
  restoreRow,
  signInAsGuest,
  volumeRow,
} from '../portal';
import { kubectl, locationPhase, s3 } from './fullLab';
import {
  CLAIM,
  compareRestored,
  datasetBackedUp,
  FIRST_BACKUP,
  POD,
  shopBack,
  shopClaim,
  shopVolumeNode,
  VELERO,
  veleroSeconds,
} from './shop';

/** The StatefulSet and its claim deleted, and the volume with them. */
function destroyShopVolume() {
  const volume = shopClaim('.spec.volumeName');
  kubectl(['-n', 'shop', 'delete', 'statefulset', 'shop-db', '--wait=true']);
  kubectl([
    '-n',
    'shop',
    'delete',
    'pod',
    POD,
    '--ignore-not-found',
    '--wait=true',
  ]);
  kubectl(['-n', 'shop', 'delete', 'pvc', CLAIM, '--wait=true']);
  // The provisioner removes the directory on the node before the PV goes.
  kubectl([
    'delete',
    'pv',
    volume,
    '--ignore-not-found',
    '--wait=true',
    '--timeout=120s',
  ]);
}

test.beforeEach(async ({ page }) => {
  await detachFromDevServer(page);
});

test('an owner restores a destroyed volume from a real backup and gets every file back', async ({
  page,
}, testInfo) => {
  test.setTimeout(600_000);
  const backup = `shop-e2e-${Math.floor(Date.now() / 1000)}`;
  const original = testInfo.outputPath('original.manifest');
  let backupSeconds = 0;

  await test.step('a dataset on the real volume, backed up by Velero', async () => {
    backupSeconds = datasetBackedUp(original, backup);
  });

  await signInAsGuest(page);
  await openStorageTab(page, 'shop');

  await test.step('the real volume and its backup, with the real duration', async () => {
    const row = volumeRow(page, CLAIM);
    await expect(row).toContainText('openebs-localpv-hostpath');
    // The node its volume is on (one of three after the node-loss story).
    await expect(row).toContainText(shopVolumeNode());
    await expandVolume(page, 'shop', CLAIM);
    const backupLine = backupRow(page, CLAIM, backup);
    await expect(backupLine).toContainText('Completed');
    await expect(
      backupLine.getByRole('cell', {
        name: formatDuration(backupSeconds),
        exact: true,
      }),
    ).toBeVisible();
  });

  let request!: RestoreRequest;
  try {
    await test.step('the volume is destroyed with its workload', async () => {
      destroyShopVolume();
      await expect(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        await expect(
          volumeRow(page, CLAIM).getByText('Deleted', { exact: true }),
        ).toBeVisible({ timeout: 5_000 });
      }).toPass({ timeout: 60_000, intervals: [2_000] });
    });

    await test.step('request a restore into a new namespace', async () => {
      await expandVolume(page, 'shop', CLAIM);
      await expect(
        page.getByText(
          /^Deleted — restorable from backup: claim data-shop-db-0/,
        ),
      ).toBeVisible();
      await backupRow(page, CLAIM, backup)
        .getByRole('button', { name: 'Restore…' })
        .click();
      const dialog = page.getByRole('dialog', {
        name: `Restore from backup ${backup}`,
      });
      await expect(
        dialog.getByRole('checkbox', { name: CLAIM, exact: true }),
      ).toBeChecked();
      request = await requestRestore(page, dialog, 'shop');
      expect(request).toMatchObject({
        backupName: backup,
        mode: 'new-namespace',
        volumes: [CLAIM],
      });
    });

    await test.step('the tab follows Velero to Completed', async () => {
      const row = restoreRow(page, request.restoreName);
      await expect(row.getByText('Completed', { exact: true })).toBeVisible(
        VELERO,
      );
      await expect(row.getByText('Velero: Completed')).toBeVisible();
      await expect(row).not.toContainText('over the 15 min limit');
      await expect(
        row.getByText(request.targetNamespace!, { exact: true }),
      ).toBeVisible();
      await keepScreenshot(page, 'full-lab-restore-completed.png');
    });

    await test.step('the namespace Velero created is recorded as the same owner', async () => {
      // Velero makes it from the backed-up Namespace, annotations included:
      // the restored copy stays team-shop's (docs/security.md).
      const owner = kubectl([
        'get',
        'namespace',
        request.targetNamespace!,
        '-o',
        'jsonpath={.metadata.annotations.openebs-portal\\.dev/owner}',
      ]);
      expect(owner).toBe('group:default/team-shop');
    });

    await test.step('the restored volume equals the original, entry by entry', async () => {
      const verdict = compareRestored(
        request.targetNamespace!,
        original,
        testInfo.outputPath('restored.manifest'),
      );
      // For the CI log: what Velero took, by its own timestamps.
      const restoreSeconds = veleroSeconds(['restore', request.restoreName]);
      console.log(
        `full lab: backup ${backup} ${backupSeconds} s, restore ${request.restoreName} ${restoreSeconds} s; restored volume ${verdict}`,
      );
    });
  } finally {
    // The next run restores into a namespace of its own minute; this one
    // goes, and the shop is back as demo-up.sh left it (a new, empty volume;
    // shop-first, of the earlier claim, still restores it).
    if (request) {
      kubectl([
        'delete',
        'namespace',
        request.targetNamespace!,
        '--ignore-not-found',
        '--wait=false',
      ]);
    }
    shopBack();
  }
});

test('with S3 stopped, the location shows Unavailable and restores are refused', async ({
  page,
}) => {
  // Velero checks its location once a minute, both ways.
  test.setTimeout(420_000);
  await signInAsGuest(page);
  await openStorageTab(page, 'shop');
  s3('down');
  try {
    await test.step('the tab shows the location as Velero finds it', async () => {
      const location = page
        .getByRole('table', { name: 'Backup storage locations' })
        .getByRole('row')
        .filter({ hasText: 'default' });
      await expect(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        await expect(location).toContainText('Unavailable', { timeout: 5_000 });
      }).toPass({ timeout: 180_000, intervals: [5_000] });
    });

    await test.step('the tab offers no restore, and says why', async () => {
      await expandVolume(page, 'shop', CLAIM);
      const backup = backupRow(page, CLAIM, FIRST_BACKUP);
      const restore = backup.getByRole('button', { name: 'Restore…' });
      await expect(restore).toBeDisabled();
      await expect(restore).toHaveAccessibleDescription(
        'Backup storage location default is Unavailable: restores cannot read the backup.',
      );
      await expect(
        backup.getByText('location default unavailable'),
      ).toBeVisible();
      await keepScreenshot(page, 'full-lab-s3-stopped.png');
    });

    await test.step('and the backend refuses one sent anyway', async () => {
      // What a script (or a stale page) would send: the guest's own token.
      const refused = await entityApi(page, 'shop', 'POST', '/restores', {
        requestId: randomUUID(),
        cluster: 'lab',
        backupName: FIRST_BACKUP,
        namespace: 'shop',
        volumes: [CLAIM],
        mode: 'new-namespace',
        targetNamespace: 'shop-refused',
      });
      expect(refused.status()).toBe(503);
      expect((await refused.json()).error.message).toMatch(
        /^Backup storage location default is Unavailable.*Try again when the location is Available\.$/,
      );
    });
  } finally {
    // Leave the lab as found: S3 up, the location Available again.
    s3('up');
    await expect
      .poll(locationPhase, { timeout: 180_000, intervals: [2_000] })
      .toBe('Available');
  }
});
