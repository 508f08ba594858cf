/*
 * The restore story on the full lab, in Chromium: the owner of `shop` sees
 * its real volume (on the node, on the OpenEBS class) and its real backup,
 * requests a restore into a new namespace, and watches the portal follow
 * Velero's real restore to Completed; the restored volume holds the
 * backed-up bytes.
 *
 * Then S3 is stopped: the tab shows the storage location Unavailable (as
 * Velero finds it), offers no restore and says why, and the backend refuses
 * one sent anyway with a clear message.
 *
 * Nothing plays Velero here: Velero 1.18.1 with its node-agent restores from
 * the HTTPS S3 (docs/lab.md). Run with
 * `E2E_FULL_LAB=lab/_state-proof scripts/e2e.sh` (scripts/test.sh does, after
 * the restore proof): `shop` is lab/platform/demo-shop.yaml, and its first
 * backup shop-first is taken by lab/platform/demo-up.sh.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import {
  backupRow,
  detachFromDevServer,
  expandVolume,
  keepScreenshot,
  openStorageTab,
  restoreAnswer,
  restoreRow,
  signInAsGuest,
  volumeRow,
} from '../portal';

const CLAIM = 'data-shop-db-0';
const BACKUP = 'shop-first';
/** A real restore: Velero starts a pod, the node-agent moves the data. */
const VELERO = { timeout: 300_000 };

function labState(): string {
  const state = process.env.E2E_FULL_LAB;
  if (!state) throw new Error('E2E_FULL_LAB is not set: run scripts/e2e.sh');
  return state;
}

/** A value of the full lab's env-node file (LAB_KUBECTL, LAB_NODE_IP, …). */
function nodeEnv(name: string): string {
  const envNode = fs.readFileSync(path.join(labState(), 'env-node'), 'utf8');
  const value = new RegExp(`^${name}='?([^'\\n]+)'?$`, 'm').exec(envNode)?.[1];
  if (!value) throw new Error(`${labState()}/env-node has no ${name}`);
  return value;
}

/** The lab's kubectl, as its admin, for what no browser can see: bytes. */
function kubectl(...args: string[]): string {
  return execFileSync(
    nodeEnv('LAB_KUBECTL'),
    ['--kubeconfig', path.join(labState(), 'kubeconfig'), ...args],
    { encoding: 'utf8' },
  );
}

/** lab/scripts/s3.sh up|down for the full lab's S3 (on the node IP). */
function s3(command: 'up' | 'down') {
  execFileSync(
    path.resolve(__dirname, '../../lab/scripts/s3.sh'),
    [command, labState()],
    {
      env: { ...process.env, LAB_S3_ADDRESS: nodeEnv('LAB_NODE_IP') },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
}

function locationPhase(): string {
  return kubectl(
    '-n',
    'velero',
    'get',
    'backupstoragelocation',
    'default',
    '-o',
    'jsonpath={.status.phase}',
  );
}

/** The first line the shop's pod wrote to its volume: it predates the backup. */
function firstLine(namespace: string): string {
  return kubectl(
    '-n',
    namespace,
    'exec',
    'shop-db-0',
    '-c',
    'db',
    '--',
    'head',
    '-n',
    '1',
    '/data/starts.log',
  ).trim();
}

test.beforeEach(async ({ page }) => {
  await detachFromDevServer(page);
});

test('an owner restores a real volume from a real backup and gets its bytes back', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await signInAsGuest(page);
  await openStorageTab(page, 'shop');

  await test.step('the real volume and its real backup', async () => {
    const row = volumeRow(page, CLAIM);
    await expect(row).toContainText('openebs-localpv-hostpath');
    await expect(row).toContainText('lab-node-1');
    await expandVolume(page, 'shop', CLAIM);
    await expect(backupRow(page, CLAIM, BACKUP)).toContainText('Completed');
  });

  let request!: RestoreRequest;
  await test.step('request a restore into a new namespace', async () => {
    await backupRow(page, CLAIM, BACKUP)
      .getByRole('button', { name: 'Restore…' })
      .click();
    const dialog = page.getByRole('dialog', {
      name: `Restore from backup ${BACKUP}`,
    });
    await expect(
      dialog.getByRole('checkbox', { name: CLAIM, exact: true }),
    ).toBeChecked();
    const answer = restoreAnswer(page, 'shop');
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
    const response = await answer;
    expect(response.status(), await response.text()).toBe(201);
    request = await response.json();
    expect(request).toMatchObject({
      backupName: BACKUP,
      mode: 'new-namespace',
      volumes: [CLAIM],
    });
  });

  try {
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

    await test.step('the restored volume holds the backed-up bytes', async () => {
      kubectl(
        '-n',
        request.targetNamespace!,
        'wait',
        '--for=condition=Ready',
        'pod/shop-db-0',
        '--timeout=180s',
      );
      expect(firstLine(request.targetNamespace!)).toBe(firstLine('shop'));
    });
  } finally {
    // The next run restores into a namespace of its own minute; this one goes.
    kubectl(
      'delete',
      'namespace',
      request.targetNamespace!,
      '--ignore-not-found',
      '--wait=false',
    );
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
      const backup = backupRow(page, CLAIM, BACKUP);
      const restore = backup.getByRole('button', { name: 'Restore…' });
      await expect(restore).toBeDisabled();
      await expect(restore).toHaveAccessibleDescription(
        'Backup storage location default is Unavailable: restores cannot read the backup.',
      );
      await expect(backup.getByText('location default unavailable')).toBeVisible();
      await keepScreenshot(page, 'full-lab-s3-stopped.png');
    });

    await test.step('and the backend refuses one sent anyway', async () => {
      // What a script (or a stale page) would send: the guest's own token.
      const backend = 'http://localhost:7007';
      const session = await page.request.post(
        `${backend}/api/auth/guest/refresh`,
        { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
      );
      const token = (await session.json()).backstageIdentity.token;
      const refused = await page.request.post(
        `${backend}/api/openebs-storage/entities/component/default/shop/restores`,
        {
          headers: { Authorization: `Bearer ${token}` },
          data: {
            requestId: randomUUID(),
            cluster: 'lab',
            backupName: BACKUP,
            namespace: 'shop',
            volumes: [CLAIM],
            mode: 'new-namespace',
            targetNamespace: 'shop-refused',
          },
        },
      );
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
