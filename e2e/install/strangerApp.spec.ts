/*
 * The plugins installed the way a stranger installs them: a fresh app from
 * `@backstage/create-app`, our packed tarballs added (no workspace links),
 * the READMEs' install steps applied, the app built and served by its own
 * backend on :7007 against a lab cluster seeded with the demo objects.
 *
 * Run it with scripts/install-check.sh (packs, creates, builds and starts
 * everything it needs, and stops it).
 */
import { expect, test } from '@playwright/test';
import { keepScreenshot, openStorageTab, volumeRow } from '../portal';

test('the Storage tab of a fresh create-app app with the packed plugins', async ({
  page,
}) => {
  await test.step('the guest signs in to the stranger app', async () => {
    await page.goto('/');
    // create-app's own sign-in page, with its guest provider.
    await page.getByRole('button', { name: 'Enter' }).click();
  });

  await test.step("shop's Storage tab, found by feature discovery alone", async () => {
    await openStorageTab(page, 'shop');
    // The packed backend read the lab's volumes: the demo's two claims, on
    // the OpenEBS class, on their nodes.
    for (const [pvc, node] of [
      ['data-postgres-0', 'lab-node-1'],
      ['data-postgres-1', 'lab-node-2'],
    ]) {
      const row = volumeRow(page, pvc);
      await expect(
        row.getByText('openebs-localpv-hostpath', { exact: true }),
      ).toBeVisible();
      await expect(
        row.getByRole('cell', { name: node, exact: true }),
      ).toBeVisible();
    }
    await keepScreenshot(page, 'install-storage-tab.png');
  });
});
