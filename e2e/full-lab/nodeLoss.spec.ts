/*
 * The node-loss story on the full lab with three nodes (LAB_NODES=3, as
 * scripts/test.sh starts it), in Chromium: `shop`'s volume is on lab-node-3
 * (demo-shop.yaml prefers that node) and holds the proof's dataset, backed
 * up by Velero. lab-node-3 then dies at once (lab/scripts/node-power.sh
 * kill: every process in it, kubelet, containerd and the containers, gets
 * SIGKILL; its disk keeps the data nobody can reach now). The Storage tab
 * says the data is unreachable on that node; a platform admin recovers the
 * volume in place from its backup, and the portal leads the steps: the pod
 * on the dead node force-deleted, the StatefulSet stopped, the dead claim
 * and its volume removed, the Restore, the StatefulSet started. The shop
 * comes back on another node with the backed-up bytes (lab/proof/compare.sh).
 * The node boots again at the end, whatever happened.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import {
  detachFromDevServer,
  expandVolume,
  inPlaceDialog,
  keepScreenshot,
  openStorageTab,
  requestRestore,
  restoreRow,
  signInAsGuest,
  volumeRow,
} from '../portal';
import { kubectl, labState, nodeEnv } from './fullLab';
import {
  CLAIM,
  compareRestored,
  datasetBackedUp,
  POD,
  shopClaim,
  shopVolumeNode,
  VELERO,
  waitForShopPod,
} from './shop';

const DYING = 'lab-node-3';
/**
 * The dataset's large file: 16 MiB in CI; E2E_NODE_LOSS_MIB=1024 measures
 * the recovery of a 1 GiB volume (docs/benchmarks.md).
 */
const LARGE_MIB = Number(process.env.E2E_NODE_LOSS_MIB ?? 16);
const nodePower = path.resolve(__dirname, '../../lab/scripts/node-power.sh');

function power(action: 'kill' | 'start') {
  execFileSync(nodePower, [action, DYING.split('-').pop()!, labState()], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/**
 * The shop's volume on the dying node: made again there (the StatefulSet
 * prefers it) when an earlier story left it elsewhere.
 */
function shopOnDyingNode() {
  if (shopVolumeNode() === DYING) return;
  kubectl(['-n', 'shop', 'scale', 'statefulset', 'shop-db', '--replicas=0']);
  kubectl([
    '-n',
    'shop',
    'wait',
    '--for=delete',
    `pod/${POD}`,
    '--timeout=120s',
  ]);
  kubectl(['-n', 'shop', 'delete', 'pvc', CLAIM, '--timeout=120s']);
  kubectl(['-n', 'shop', 'scale', 'statefulset', 'shop-db', '--replicas=1']);
  waitForShopPod('shop');
}

test.beforeEach(async ({ page }) => {
  await detachFromDevServer(page);
});

test('a node dies with a volume on it, and a platform admin recovers it onto another node', async ({
  page,
}, testInfo) => {
  test.skip(
    Number(nodeEnv('LAB_NODES')) < 3,
    'needs the full lab with three nodes (LAB_NODES=3 lab/scripts/full-up.sh)',
  );
  test.setTimeout(900_000);
  const backup = `shop-nodeloss-${Math.floor(Date.now() / 1000)}`;
  const original = testInfo.outputPath('original.manifest');
  const claimVolume = () => shopClaim('.spec.volumeName');
  let oldVolume = '';

  await test.step(`a dataset on the shop's volume on ${DYING}, backed up`, async () => {
    shopOnDyingNode();
    expect(shopVolumeNode()).toBe(DYING);
    datasetBackedUp(original, backup, LARGE_MIB);
    oldVolume = claimVolume();
  });

  try {
    let killed = 0;
    await test.step(`${DYING} dies, and the tab says where the data is`, async () => {
      power('kill');
      killed = Date.now();
      await signInAsGuest(page);
      await openStorageTab(page, 'shop');
      const row = volumeRow(page, CLAIM);
      await expect(async () => {
        await page.reload();
        await expect(row).toContainText('NotReady', { timeout: 5000 });
      }).toPass({ timeout: 180_000 });
      const seen = Math.round((Date.now() - killed) / 1000);
      await expect(row).toContainText(DYING);
      await expandVolume(page, 'shop', CLAIM);
      await expect(
        page.getByText(`Data unreachable: node ${DYING} is NotReady`, {
          exact: false,
        }),
      ).toBeVisible();
      await keepScreenshot(page, 'full-lab-node-lost.png');
      console.log(
        `full lab: ${DYING} killed; the Storage tab showed it NotReady after ${seen} s`,
      );
    });

    let request!: RestoreRequest;
    const requested = Date.now();
    await test.step('a platform admin recovers it in place from the backup', async () => {
      const dialog = await inPlaceDialog(page, CLAIM, backup, 'shop');
      request = await requestRestore(page, dialog, 'shop');
      expect(request).toMatchObject({ backupName: backup, mode: 'in-place' });
    });

    await test.step('the tab follows each step; the shop runs elsewhere with its bytes', async () => {
      const row = restoreRow(page, request.restoreName);
      await expect(
        row
          .getByRole('list', { name: 'In-place restore steps' })
          .getByRole('listitem', { name: 'Start the workloads: done' }),
      ).toBeVisible(VELERO);
      await expect(row.getByText('Completed', { exact: true })).toBeVisible();
      const recovered = Math.round((Date.now() - requested) / 1000);
      await keepScreenshot(page, 'full-lab-node-recovered.png');
      const node = shopVolumeNode();
      expect(node).not.toBe(DYING);
      expect(
        kubectl([
          '-n',
          'shop',
          'get',
          'pod',
          POD,
          '-o',
          'jsonpath={.spec.nodeName}',
        ]),
      ).toBe(node);
      const verdict = compareRestored(
        'shop',
        original,
        testInfo.outputPath('restored.manifest'),
      );
      console.log(
        `full lab: node loss (${LARGE_MIB} MiB dataset): request to the shop Ready on ${node} ${recovered} s (node killed to Ready ${Math.round(
          (Date.now() - killed) / 1000,
        )} s); restored volume ${verdict}`,
      );
    });

    await test.step(`${DYING} boots again, and nothing of the old volume is used`, async () => {
      power('start');
      // The old volume's object is gone (its directory stays on the node's
      // disk), and the claim keeps the new one.
      expect(
        kubectl(['get', 'pv', oldVolume, '--ignore-not-found', '-o', 'name']),
      ).toBe('');
      expect(claimVolume()).not.toBe(oldVolume);
      expect(shopVolumeNode()).not.toBe(DYING);
      await page.reload();
      await expect(volumeRow(page, CLAIM)).not.toContainText('NotReady');
      await expect(volumeRow(page, CLAIM)).not.toContainText(DYING);
    });
  } finally {
    power('start');
  }
});
