/*
 * The in-place restore story on the full lab, in Chromium: `shop`'s real
 * volume holds the proof's dataset, backed up by Velero; a file is written
 * after the backup. A platform admin (on the full lab the guest's team is
 * one, app-config.full-lab.yaml) requests a restore in place from the
 * backup's row. The portal leads the steps with the real controllers and
 * Velero: the StatefulSet scaled to zero, the claim deleted (the
 * provisioner removes its volume), the Restore whose pod Velero runs
 * relabelled so the stopped StatefulSet leaves it alone, that pod removed,
 * the StatefulSet scaled back. The tab shows each step; at the end the
 * shop's pod runs on a new claim whose data equals the backed-up manifest
 * (lab/proof/compare.sh), without the late file.
 */
import { expect, test } from '@playwright/test';
import type { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import {
  detachFromDevServer,
  entityApi,
  expandVolume,
  inPlaceDialog,
  keepScreenshot,
  openStorageTab,
  requestRestore,
  restoreRow,
  signInAsGuest,
} from '../portal';
import { kubectl } from './fullLab';
import {
  CLAIM,
  compareRestored,
  datasetBackedUp,
  shopBack,
  shopClaim,
  VELERO,
} from './shop';

const claimUid = () => shopClaim('.metadata.uid');

test.beforeEach(async ({ page }) => {
  await detachFromDevServer(page);
});

test('a platform admin restores a volume in place, and the portal leads every step', async ({
  page,
}, testInfo) => {
  test.setTimeout(600_000);
  const backup = `shop-inplace-${Math.floor(Date.now() / 1000)}`;
  const original = testInfo.outputPath('original.manifest');
  let uidBefore = '';
  let finished = false;

  await test.step('a dataset on the real volume, backed up by Velero', async () => {
    datasetBackedUp(original, backup);
    uidBefore = claimUid();
  });

  await signInAsGuest(page);
  await openStorageTab(page, 'shop');

  let request!: RestoreRequest;
  try {
    await test.step('request a restore in place, seeing what it stops and deletes', async () => {
      await expandVolume(page, 'shop', CLAIM);
      const dialog = await inPlaceDialog(page, CLAIM, backup, 'shop');
      await expect(
        dialog.getByRole('list', {
          name: 'Stopped first, and started again after the restore',
        }),
      ).toHaveText('StatefulSet/shop-db');
      await expect(
        dialog.getByRole('list', {
          name: 'Deleted before the restore (their current data is lost)',
        }),
      ).toHaveText(CLAIM);
      request = await requestRestore(page, dialog, 'shop');
      expect(request).toMatchObject({
        backupName: backup,
        mode: 'in-place',
        targetNamespace: 'shop',
        inPlace: { workloads: [{ kind: 'StatefulSet', name: 'shop-db' }] },
      });
    });

    const requested = Date.now();
    await test.step('the tab follows each step to the end', async () => {
      const row = restoreRow(page, request.restoreName);
      const steps = row.getByRole('list', { name: 'In-place restore steps' });
      for (const step of [
        'Stop the workloads',
        'Remove the claims',
        'Restore with Velero',
        'Remove the restore pods',
        'Start the workloads',
      ]) {
        await expect(
          steps.getByRole('listitem', { name: `${step}: done` }),
        ).toBeVisible(VELERO);
      }
      await expect(row.getByText('Completed', { exact: true })).toBeVisible();
      await keepScreenshot(page, 'full-lab-in-place-completed.png');
    });
    const seconds = Math.round((Date.now() - requested) / 1000);

    await test.step('the shop runs on a new claim with the backed-up data', async () => {
      expect(claimUid()).not.toBe(uidBefore);
      expect(
        kubectl([
          '-n',
          'shop',
          'get',
          'statefulset',
          'shop-db',
          '-o',
          'jsonpath={.spec.replicas}',
        ]),
      ).toBe('1');
      // Velero's pod was removed before the StatefulSet came back.
      expect(
        kubectl([
          '-n',
          'shop',
          'get',
          'pods',
          '-l',
          'openebs-portal.dev/restore-pod',
          '-o',
          'name',
        ]).trim(),
      ).toBe('');
      const verdict = compareRestored(
        'shop',
        original,
        testInfo.outputPath('restored.manifest'),
      );
      // For the CI log and docs/benchmarks.md: each step's time, as recorded.
      const listed = await entityApi(page, 'shop', 'GET', '/restores');
      const done: RestoreRequest = (await listed.json()).items.find(
        (r: RestoreRequest) => r.id === request.id,
      );
      const steps = done
        .inPlace!.steps.map(
          step =>
            `${step.name} ${
              (Date.parse(step.endedAt!) - Date.parse(step.startedAt!)) / 1000
            } s`,
        )
        .join(', ');
      console.log(
        `full lab: in-place restore ${request.restoreName} from ${backup}: request to every step done (pod Ready) ${seconds} s (${steps}); restored volume ${verdict}`,
      );
    });
    finished = true;
  } finally {
    // A story stopped halfway may leave the StatefulSet at zero without its
    // claim: the shop comes back as demo-up.sh makes it.
    if (!finished) shopBack();
  }
});
