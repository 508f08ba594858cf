/*
 * What the end-to-end stories share: signing in, finding a component's
 * Storage tab, its tables, and screenshots for people to look at.
 */
import { APIResponse, expect, Locator, Page, test } from '@playwright/test';
import type { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import fs from 'node:fs';
import path from 'node:path';

export const artifacts = path.resolve(__dirname, 'artifacts');

/**
 * Merges `values` into the JSON object of an artifact file (kept between
 * stories of one run; docs/benchmarks.md quotes them). Nothing to add,
 * nothing written.
 */
export function mergeArtifactJson(file: string, values: object) {
  if (Object.keys(values).length === 0) return;
  const target = path.join(artifacts, file);
  const earlier = fs.existsSync(target)
    ? JSON.parse(fs.readFileSync(target, 'utf8'))
    : {};
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(
    target,
    `${JSON.stringify({ ...earlier, ...values }, null, 2)}\n`,
  );
}

/** The backend the stories' app talks to (scripts/e2e.sh). */
export const BACKEND_URL = 'http://localhost:7007';

/**
 * The signed-in guest's own token, for what a script (or a stale page)
 * would send the backend directly, or to read what the tab reads.
 */
export async function guestToken(page: Page): Promise<string> {
  const session = await page.request.post(
    `${BACKEND_URL}/api/auth/guest/refresh`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  return (await session.json()).backstageIdentity.token;
}

/**
 * A call to the storage backend's API about a component, as the signed-in
 * guest with its own token: what a script (or a stale page) would send.
 * `path` follows the entity, e.g. `/restores`.
 */
export async function entityApi(
  page: Page,
  component: string,
  method: 'GET' | 'POST',
  path: string,
  data?: object,
): Promise<APIResponse> {
  return page.request.fetch(
    `${BACKEND_URL}/api/openebs-storage/entities/component/default/${component}${path}`,
    {
      method,
      data,
      headers: { Authorization: `Bearer ${await guestToken(page)}` },
    },
  );
}

/** The Volumes table of the Storage tab. */
export function volumesTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Volumes' });
}

/** The row of one PersistentVolumeClaim in the Volumes table. */
export function volumeRow(page: Page, pvc: string): Locator {
  return volumesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: pvc, exact: true }) });
}

/** The row of one backup in the Backups table of a volume. */
export function backupRow(
  page: Page,
  pvc: string,
  backupName: string,
): Locator {
  return page
    .getByRole('table', { name: `Backups of ${pvc}` })
    .getByRole('row')
    .filter({ hasText: backupName });
}

/** The row of one restore request in the Restores table. */
export function restoreRow(page: Page, restoreName: string): Locator {
  return page
    .getByRole('table', { name: 'Restores' })
    .getByRole('row')
    .filter({ hasText: restoreName });
}

/**
 * Clicks the restore dialog's Restore button for a component's backup and
 * returns the request the backend recorded (201, or the test fails with
 * the backend's answer).
 */
export async function requestRestore(
  page: Page,
  dialog: Locator,
  component: string,
): Promise<RestoreRequest> {
  const answer = restoreAnswer(page, component);
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
  const response = await answer;
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

/** The answer to the restore request the page is about to send for a component. */
function restoreAnswer(page: Page, component: string) {
  return page.waitForResponse(
    response =>
      response.request().method() === 'POST' &&
      response
        .url()
        .endsWith(
          `/api/openebs-storage/entities/component/default/${component}/restores`,
        ),
  );
}

/**
 * The restore dialog of a backup of `pvc`, opened from its row, with "In
 * place" chosen and the namespace typed to confirm: what is left is the
 * Restore button.
 */
export async function inPlaceDialog(
  page: Page,
  pvc: string,
  backupName: string,
  namespace: string,
): Promise<Locator> {
  await backupRow(page, pvc, backupName)
    .getByRole('button', { name: 'Restore…' })
    .click();
  const dialog = page.getByRole('dialog', {
    name: `Restore from backup ${backupName}`,
  });
  await dialog.getByRole('radio', { name: 'In place' }).click();
  await dialog
    .getByRole('textbox', { name: `Type ${namespace} to confirm` })
    .fill(namespace);
  return dialog;
}

/** The entity's own rating in the "Storage health" card. */
export function entityHealth(page: Page): Locator {
  // The innermost block holding the "Entity" heading: the chip and reason.
  return page
    .locator('div')
    .filter({ has: page.getByRole('heading', { name: 'Entity', exact: true }) })
    .last();
}

/** Opens a component from the catalog list, then its Storage tab. */
/**
 * Waits until the catalog has the component: one registered from a pull
 * request's target branch appears only once the pull request is merged and
 * the catalog has read its location again.
 */
export async function waitForComponent(
  page: Page,
  component: string,
  timeoutMs = 120_000,
) {
  await expect(async () => {
    await page.goto(`/catalog/default/component/${component}`);
    // The header shows the name from the URL even for an entity the catalog
    // does not have; the tabs appear only for one it has.
    await expect(
      page.getByRole('navigation', { name: 'Content navigation' }),
    ).toBeVisible({ timeout: 3_000 });
    await expect(
      page.getByRole('heading', { name: component, exact: true }),
    ).toBeVisible();
  }).toPass({ timeout: timeoutMs, intervals: [2_000] });
}

export async function openStorageTab(page: Page, component: string) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Catalog', exact: true })
    .click();
  // All components, not only the ones the guest owns (the catalog opens on
  // "Owned": the guest owns shop, legacy-uploads and legacy-orders-db). The
  // picker settles its initial filter after loading the counts, which can
  // undo a click made too early: click until the list says it shows all
  // components.
  const all = page.getByRole('menuitem', { name: /^All/ });
  await expect(async () => {
    await all.click();
    await expect(page.getByText(/^All components \(\d+\)$/i)).toBeVisible({
      timeout: 2_000,
    });
  }).toPass({ timeout: 30_000 });
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

/**
 * Expands a volume row into its details (backups, schedules, snapshots),
 * unless it is open already: the tab keeps a row open across a refresh.
 */
export async function expandVolume(page: Page, namespace: string, pvc: string) {
  const toggle = page.getByRole('button', {
    name: `Details of ${namespace}/${pvc} in lab`,
  });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
    await toggle.click();
  }
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
}

/** A full-page screenshot in e2e/artifacts, for people to look at. */
export async function keepScreenshot(page: Page, name: string) {
  fs.mkdirSync(artifacts, { recursive: true });
  // Expanded details open with a height transition: finish it, or the
  // picture cuts them off.
  await page.screenshot({
    path: path.join(artifacts, name),
    fullPage: true,
    animations: 'disabled',
    // Notification toasts (a restore's outcome) would cover the tables.
    style: '.notistack-SnackbarContainer { display: none !important; }',
  });
}

/**
 * Keeps the page off the app dev server's live-reload socket: call it in
 * every spec file's `test.beforeEach`.
 */
export async function detachFromDevServer(page: Page) {
  // The app runs in its dev server, which reloads the page whenever a source
  // file changes. Answer its live-reload socket here instead, silently, so
  // that an edit elsewhere in the repository cannot reload the page mid-story.
  await page.routeWebSocket(/\/ws$/, () => {});
}

/**
 * On an open Storage tab, as its owner: enrols the entity for weekly
 * restore drills, or hands it back to its annotation (`''`), and waits for
 * the tab to say so.
 */
export async function enrolForDrills(page: Page, cadence: 'weekly' | '') {
  await page.getByLabel('Scheduled drills').selectOption(cadence);
  await expect(
    page.getByText(
      cadence
        ? /^Enrolled on this tab by guest: a weekly drill/
        : /^Not enrolled for scheduled drills/,
    ),
  ).toBeVisible();
}

/** Signs in as the guest: user:default/guest, of team-shop. */
export async function signInAsGuest(page: Page) {
  await test.step('sign in as the guest (team-shop)', async () => {
    // Loaded again when the page stays blank: on the full lab, Chromium
    // aborts the app's module requests with ERR_NETWORK_CHANGED when the
    // node adds or removes a pod's network interface mid-load.
    const enter = page.getByRole('button', { name: 'Enter' });
    await expect(async () => {
      await page.goto('/');
      await expect(enter).toBeVisible({ timeout: 15_000 });
    }).toPass({ timeout: 60_000 });
    await enter.click();
    await expect(
      page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Catalog', exact: true }),
    ).toBeVisible();
  });
}
