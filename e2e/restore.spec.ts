/*
 * Self-service restores, end to end in Chromium: an owner requests a
 * restore and watches it reach Completed; a non-owner cannot.
 *
 * The guest is user:default/guest, a member of team-shop (app-config.yaml,
 * examples/org.yaml): owner of shop, not of analytics (team-data), and no
 * platform admin. The lab has Velero's CRDs but no Velero: once the portal
 * has created the Restore, this test plays Velero with the lab's admin
 * token, creating what a real restore creates (the target namespace, the
 * claim bound to a local volume on another node, the pod, the
 * PodVolumeRestore) and moving the Restore to Completed. The portal's
 * tracker follows it from its watch caches; the tab shows it live.
 *
 * Run it with scripts/e2e.sh (starts and stops everything it needs).
 */
import { expect, test } from '@playwright/test';
import type { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import {
  fixtures as velero,
  LabAdmin,
  labCluster,
  labEnvFile,
} from '@openebs-portal/lab-testkit';
import {
  backupRow,
  detachFromDevServer,
  expandVolume,
  keepScreenshot,
  openStorageTab,
  requestRestore,
  restoreRow,
  signInAsGuest,
  volumeRow,
} from './portal';

/**
 * For what the backend's restore tracker drives (every 5 s) and the tab then
 * shows (signals, or its 10 s poll): generous, as the CPU is shared.
 */
const TRACKED = { timeout: 45_000 };

/** The node the restored data lands on (not the source's lab-node-1). */
const RESTORED_NODE = 'lab-node-3';
const MiB = 1024 ** 2;

let lab: LabAdmin;
test.beforeAll(() => {
  // scripts/e2e.sh's lab (it sets OPENEBS_LAB_ENV): lab/_state-e2e.
  lab = new LabAdmin(labCluster(labEnvFile('lab/_state-e2e')));
});
test.afterAll(() => lab?.close());

test.beforeEach(async ({ page }) => {
  await detachFromDevServer(page);
});

test('an owner restores a volume into a new namespace and watches it complete', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signInAsGuest(page);
  await openStorageTab(page, 'shop');
  await expandVolume(page, 'shop', 'data-postgres-0');

  let request!: RestoreRequest;
  await test.step('request a restore of the newest backup into a new namespace', async () => {
    // Newest first: the first backup row is the newest backup.
    const backups = page.getByRole('table', {
      name: 'Backups of data-postgres-0',
    });
    const newest = backups.getByRole('row').nth(1);
    await expect(newest).toContainText('daily-20261126020000');
    await newest.getByRole('button', { name: 'Restore…' }).click();

    const dialog = page.getByRole('dialog', {
      name: 'Restore from backup daily-20261126020000',
    });
    await expect(dialog).toBeVisible();
    await expect(
      dialog.getByRole('checkbox', { name: 'data-postgres-0', exact: true }),
    ).toBeChecked();
    // New namespace is the default; the guest is no platform admin, so in
    // place would wait for one's approval, and the dialog says so.
    await expect(
      dialog.getByRole('radio', { name: 'New namespace (recommended)' }),
    ).toBeChecked();
    await expect(
      dialog.getByRole('radio', { name: 'In place' }),
    ).not.toBeChecked();
    await expect(
      dialog.getByText(
        /^In place needs a platform admin's approval \(the openebs\.storage\.restore\.inplace permission\)/,
      ),
    ).toBeVisible();
    // What comes back: Velero restores every pod of shop with its claims,
    // so the other replica's claim comes back too, and the dialog says so.
    const contents = dialog.getByRole('region', { name: 'What comes back' });
    await expect(contents).toContainText('data-postgres-1');
    await expect(contents).toContainText('Pod/postgres-0');
    await expect(contents).toContainText('Pod/postgres-1');
    const target = dialog.getByRole('textbox', { name: 'Target namespace' });
    await expect(target).toHaveValue(/^shop-restore-\d{8}-\d{4}$/);
    const targetNamespace = await target.inputValue();

    request = await requestRestore(page, dialog, 'shop');
    expect(request).toMatchObject({
      entityRef: 'component:default/shop',
      backupName: 'daily-20261126020000',
      mode: 'new-namespace',
      sourceNamespace: 'shop',
      targetNamespace,
      volumes: ['data-postgres-0'],
      requestedBy: 'user:default/guest',
      state: 'in-progress',
    });
    await expect(dialog).toBeHidden();

    const row = restoreRow(page, request.restoreName);
    await expect(row.getByText('In progress', { exact: true })).toBeVisible();
    await expect(
      row.getByRole('cell', { name: 'New namespace', exact: true }),
    ).toBeVisible();
    await expect(row.getByText(targetNamespace, { exact: true })).toBeVisible();
    await expect(
      row.getByRole('cell', { name: 'guest', exact: true }),
    ).toBeVisible();
  });

  const target = request.targetNamespace;
  // Velero's Restore has no status subresource: its status is merge-patched
  // into the object itself, as Velero does.
  const setRestoreStatus = (status: Record<string, string>) =>
    lab.request(
      'PATCH',
      `/apis/velero.io/v1/namespaces/velero/restores/${request.restoreName}`,
      { status },
      'application/merge-patch+json',
    );

  await test.step('the portal created a Velero Restore of the fixed shape', async () => {
    const selector = encodeURIComponent(
      `openebs-portal.dev/restore-request=${request.requestId}`,
    );
    const { items } = await lab.get(
      `/apis/velero.io/v1/namespaces/velero/restores?labelSelector=${selector}`,
    );
    expect(items.map((r: any) => r.metadata.name)).toEqual([
      request.restoreName,
    ]);
    const [restore] = items;
    expect(restore.metadata.annotations).toMatchObject({
      'openebs-portal.dev/entity-ref': 'component:default/shop',
      'openebs-portal.dev/requested-by': 'user:default/guest',
      'openebs-portal.dev/mode': 'new-namespace',
    });
    expect(restore.spec).toMatchObject({
      backupName: 'daily-20261126020000',
      includedNamespaces: ['shop'],
      namespaceMapping: { shop: target },
      restorePVs: true,
      existingResourcePolicy: 'none',
    });
    expect(restore.spec.hooks).toBeUndefined();
    expect(restore.spec.resourceModifier).toBeUndefined();
    // Unset, so the claims' volumes come back (docs/restores.md).
    expect(restore.spec.includeClusterResources).toBeUndefined();
  });

  // What Velero does for that Restore: start it, bring back the claim (bound
  // to a new local volume, on another node) and the pod that mounts it, and
  // write the data through a PodVolumeRestore.
  const startedAt = new Date(Date.now() - 60_000);
  const restored = velero.claim({
    namespace: target,
    name: 'data-postgres-0',
    storageClass: 'openebs-localpv-hostpath',
    size: '10Gi',
    node: RESTORED_NODE,
    labels: { 'velero.io/restore-name': request.restoreName },
  });
  const pod = velero.pod({
    namespace: target,
    name: 'postgres-0',
    labels: {
      'backstage.io/kubernetes-id': 'shop',
      'velero.io/restore-name': request.restoreName,
    },
    claims: ['data-postgres-0'],
    nodeName: RESTORED_NODE,
  });
  const podVolumeRestore = (phase: string, bytesDone: number) =>
    velero.podVolumeRestore({
      name: `${request.restoreName}-data-0`,
      restoreName: request.restoreName,
      podNamespace: target,
      podName: 'postgres-0',
      // The pod's volume that mounts the claim (the kit's fixtures.pod names
      // them data-0, data-1, …).
      podVolume: pod.spec.volumes[0].name,
      phase,
      bytesDone,
      totalBytes: 700 * MiB,
    });

  await test.step('Velero starts: the data comes back on another node', async () => {
    await setRestoreStatus({
      phase: 'InProgress',
      startTimestamp: iso(startedAt),
    });
    // Velero copies the source namespace's metadata: the owner comes along.
    await lab.create(velero.namespace(target, 'group:default/team-shop'));
    await lab.create(restored.volume);
    await lab.create(restored.claim);
    await lab.create(pod);
    await lab.create(podVolumeRestore('InProgress', 350 * MiB));

    const row = restoreRow(page, request.restoreName);
    await expect(row.getByText('350 MiB of 700 MiB')).toBeVisible(TRACKED);
    await expect(row.getByText('Velero: InProgress')).toBeVisible();
  });

  await test.step('Velero completes the restore; the tab shows where the data is', async () => {
    const done = podVolumeRestore('Completed', 700 * MiB);
    await lab.writeStatus(done, {
      ...done.status,
      startTimestamp: iso(startedAt),
      completionTimestamp: iso(new Date()),
    });
    await setRestoreStatus({
      phase: 'Completed',
      startTimestamp: iso(startedAt),
      completionTimestamp: iso(new Date()),
    });

    const row = restoreRow(page, request.restoreName);
    // The state, and Velero's phase under it.
    await expect(row.getByText('Completed', { exact: true })).toBeVisible(
      TRACKED,
    );
    await expect(row.getByText('Velero: Completed')).toBeVisible();
    // About a minute, well within the 15 min service level.
    const duration = row.getByRole('cell', {
      name: /^(\d+ s|\d+ min( \d+ s)?)$/,
    });
    await expect(duration).toBeVisible();
    await expect(row).not.toContainText('over the 15 min limit');
    await expect(row.getByText(target, { exact: true })).toBeVisible();
    await expect(
      row.getByText(`data-postgres-0 on ${RESTORED_NODE}`),
    ).toBeVisible();
    await expect(
      row.getByText(RESTORED_NODE, { exact: true }),
    ).toHaveJSProperty('tagName', 'STRONG');
    await keepScreenshot(page, 'restore-completed.png');
  });
});

test('a non-owner cannot restore, and is told which permission is missing', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openStorageTab(page, 'analytics');
  await expandVolume(page, 'analytics', 'clickhouse-data');

  const restore = backupRow(
    page,
    'clickhouse-data',
    'daily-analytics-partial',
  ).getByRole('button', { name: 'Restore…' });
  await expect(restore).toBeDisabled();
  // Said on the page, not only in a tooltip.
  await expect(
    page.getByText(
      "You cannot restore these backups: Restoring needs the openebs.storage.restore.create permission on component:default/analytics. Ask the entity's owners or your Backstage administrators to grant it.",
    ),
  ).toBeVisible();
  await expect(
    backupRow(page, 'clickhouse-data', 'daily-analytics-partial').getByText(
      'permission missing',
    ),
  ).toBeVisible();
  await expect(restore).toHaveAccessibleDescription(
    /needs the openebs\.storage\.restore\.create permission/,
  );
  await expect(volumeRow(page, 'clickhouse-data')).toBeVisible();
});

test('an owner may restore a deleted claim, into a new namespace', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openStorageTab(page, 'shop');
  await expandVolume(page, 'shop', 'data-postgres-2');

  await expect(
    page.getByText(
      /^Deleted — restorable from backup: claim data-postgres-2 no longer exists in namespace shop/,
    ),
  ).toBeVisible();
  const restore = backupRow(
    page,
    'data-postgres-2',
    'daily-20261125020000',
  ).getByRole('button', { name: 'Restore…' });
  await expect(restore).toBeEnabled();
  await restore.click();
  const dialog = page.getByRole('dialog', {
    name: 'Restore from backup daily-20261125020000',
  });
  await expect(
    dialog.getByRole('checkbox', { name: 'data-postgres-2', exact: true }),
  ).toBeChecked();
  // In place needs the platform admins' approval, which the guest may ask.
  await expect(dialog.getByRole('radio', { name: 'In place' })).toBeEnabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});

test('a second restore of shop while one is in progress is refused, with the reason', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openStorageTab(page, 'shop');
  await expandVolume(page, 'shop', 'data-postgres-1');
  const openDialog = async () => {
    await backupRow(page, 'data-postgres-1', 'daily-20261126020000')
      .getByRole('button', { name: 'Restore…' })
      .click();
    return page.getByRole('dialog', {
      name: 'Restore from backup daily-20261126020000',
    });
  };

  // No Velero runs here: this restore stays in progress, holding shop's one
  // slot (openebsStorage.restoreLimits.activePerEntity).
  const first = await openDialog();
  await expect(
    first.getByRole('region', { name: 'What comes back' }),
  ).toContainText('data-postgres-0');
  const { restoreName } = await requestRestore(page, first, 'shop');
  await expect(first).toBeHidden();

  const second = await openDialog();
  await expect(second.getByText('Too many restores in progress')).toBeVisible(
    TRACKED,
  );
  await expect(
    second.getByText(
      `component:default/shop already has 1 restore(s) in progress, the most allowed per entity (1): ${restoreName}`,
      { exact: false },
    ),
  ).toBeVisible();
  await expect(
    second.getByRole('button', { name: 'Restore', exact: true }),
  ).toBeDisabled();
  await keepScreenshot(page, 'restore-over-the-cap.png');
});

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}
