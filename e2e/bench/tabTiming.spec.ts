/*
 * How fast the Storage tab shows an entity with a hundred volumes and thirty
 * backups each (`fleet`, seeded by plugins/openebs-storage-backend/dev/
 * seedFleet.ts), in Chromium, with the backend warm: from the click on the
 * entity's Storage tab to the hundredth volume row in the page, and from a
 * full page load of the tab's URL to the same. The app runs in its dev
 * server (unminified bundles), so these are upper bounds for a production
 * build. Run by `E2E_BENCH=1 scripts/e2e.sh`; results in
 * e2e/artifacts/tab-timing.json, published in docs/benchmarks.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, Page, test } from '@playwright/test';
import { artifacts, detachFromDevServer, signInAsGuest } from '../portal';

const ENTITY = '/catalog/default/component/fleet';
const VOLUMES = 100;
const RUNS = 7;

/** Resolves when the Volumes table has every volume row (polled per frame). */
async function allVolumesShown(page: Page) {
  await page.waitForFunction(
    count =>
      // One "Details of <namespace>/<claim>" toggle per volume row.
      document.querySelectorAll(
        'table[aria-label="Volumes"] button[aria-label^="Details of fleet/"]',
      ).length >= count,
    VOLUMES,
    { polling: 'raf', timeout: 120_000 },
  );
}

function summary(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    medianMs: sorted[Math.floor(sorted.length / 2)],
    maxMs: sorted[sorted.length - 1],
    all: ms,
  };
}

test.beforeEach(async ({ page }) => {
  await detachFromDevServer(page);
});

test('the Storage tab of an entity with 100 volumes and 30 backups each', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await signInAsGuest(page);
  // Warm: the backend's caches synced, the tab's chunks compiled and fetched.
  await page.goto(`${ENTITY}/storage`);
  await allVolumesShown(page);
  await expect(page.getByText(/^Protected: 100$/)).toBeVisible();

  const click: number[] = [];
  const load: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await page.goto(ENTITY);
    const storageTab = page
      .getByRole('navigation', { name: 'Content navigation' })
      .getByRole('link', { name: 'Storage' });
    await expect(storageTab).toBeVisible();
    let start = Date.now();
    await storageTab.click();
    await allVolumesShown(page);
    click.push(Date.now() - start);

    start = Date.now();
    await page.goto(`${ENTITY}/storage`);
    await allVolumesShown(page);
    load.push(Date.now() - start);
  }
  const results = {
    date: new Date().toISOString(),
    entity: { volumes: VOLUMES, backupsPerVolume: 30 },
    tabClick: summary(click),
    fullLoad: summary(load),
  };
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(
    path.join(artifacts, 'tab-timing.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  console.log(JSON.stringify(results));
});
