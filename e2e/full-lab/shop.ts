/*
 * The `shop` workload of the full lab (lab/platform/demo-shop.yaml, put on
 * the lab by lab/platform/demo-up.sh) as the restore stories use it: its
 * claim and pod, a dataset shaped like what copies lose (lab/proof's
 * scripts, run in its pod), a backup as its Schedule would take it, and
 * the comparison of a restored volume with the original manifest.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  backUpFromSchedule,
  kubectl,
  labState,
  waitForPodReady,
} from './fullLab';

/** The labels the backend's per-entity gauges and alerts carry for shop. */
export const SHOP = { entity: 'component:default/shop' };
export const CLAIM = 'data-shop-db-0';
export const POD = 'shop-db-0';
/** demo-up.sh's backup. */
export const FIRST_BACKUP = 'shop-first';
/** The dataset, below the volume's root (a restore adds .velero/ there). */
export const SET = '/data/set';
/** A real restore: Velero starts a pod, the node-agent moves the data. */
export const VELERO = { timeout: 300_000 };

const proofScripts = path.resolve(__dirname, '../../lab/proof');
const demoUp = path.resolve(__dirname, '../../lab/platform/demo-up.sh');

/** Runs one of lab/proof's POSIX scripts in a pod's container (busybox). */
export function proofScriptIn(
  where: { namespace: string; pod: string; container: string },
  script: string,
  ...args: string[]
): string {
  return kubectl(
    [
      '-n',
      where.namespace,
      'exec',
      '-i',
      where.pod,
      '-c',
      where.container,
      '--',
      'sh',
      '-s',
      '--',
      ...args,
    ],
    fs.readFileSync(path.join(proofScripts, script), 'utf8'),
  );
}

/** Runs one of lab/proof's POSIX scripts in the shop's pod. */
export function inPod(
  namespace: string,
  script: string,
  ...args: string[]
): string {
  return proofScriptIn(
    { namespace, pod: POD, container: 'db' },
    script,
    ...args,
  );
}

/**
 * Two manifests (manifest.sh) compared by lab/proof/compare.sh: equal but
 * for what it lists as known losses (its summary is returned). Throws with
 * every difference otherwise.
 */
export function compareManifests(original: string, copy: string): string {
  const verdict = spawnSync(
    'sh',
    [path.join(proofScripts, 'compare.sh'), original, copy],
    { encoding: 'utf8' },
  );
  if (verdict.status !== 0) {
    throw new Error(`the copy differs:\n${verdict.stdout}${verdict.stderr}`);
  }
  return verdict.stdout.trim();
}

/** A shell command in the shop's pod, in namespace `shop`. */
export function inShop(script: string): string {
  return kubectl([
    '-n',
    'shop',
    'exec',
    POD,
    '-c',
    'db',
    '--',
    'sh',
    '-c',
    script,
  ]);
}

/** A field of the shop's claim, as a JSONPath: `.spec.volumeName`. */
export function shopClaim(field: string): string {
  return kubectl([
    '-n',
    'shop',
    'get',
    'pvc',
    CLAIM,
    '-o',
    `jsonpath={${field}}`,
  ]);
}

/** The node the shop's claim's volume is on (its PV's node affinity). */
export function shopVolumeNode(): string {
  return kubectl([
    'get',
    'pv',
    shopClaim('.spec.volumeName'),
    '-o',
    'jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}',
  ]);
}

export function waitForShopPod(namespace: string) {
  waitForPodReady(namespace, POD);
}

/**
 * Seconds between Velero's own start and completion timestamps of an
 * object in its namespace: `kubectl get WHAT` with `status` the path of
 * the object's status in the answer.
 */
export function veleroSeconds(what: string[], status = '.status'): number {
  const [start, end] = kubectl([
    '-n',
    'velero',
    'get',
    ...what,
    '-o',
    `jsonpath={${status}.startTimestamp} {${status}.completionTimestamp}`,
  ]).split(' ');
  return (Date.parse(end) - Date.parse(start)) / 1000;
}

/**
 * A backup of the shop made from its Schedule's template (demo-shop.yaml),
 * waited for; returns the volume's copy's duration from the PodVolumeBackup
 * (what the tab shows).
 */
export function backUpShop(name: string): number {
  backUpFromSchedule('shop-shop', name, {
    'backstage.io/kubernetes-id': 'shop',
  });
  return veleroSeconds(
    ['podvolumebackups', '-l', `velero.io/backup-name=${name}`],
    '.items[0].status',
  );
}

/**
 * The proof's dataset (`largeMib` MiB of random data, default 16, and 500
 * small files) on the shop's volume, its manifest written to
 * `manifestFile`, a backup named `backup` taken, then a file written after
 * it. Returns the backup's copy duration.
 */
export function datasetBackedUp(
  manifestFile: string,
  backup: string,
  largeMib = 16,
): number {
  waitForShopPod('shop');
  kubectl(['-n', 'shop', 'exec', POD, '-c', 'db', '--', 'rm', '-rf', SET]);
  inPod('shop', 'dataset.sh', SET, String(largeMib), '500');
  fs.writeFileSync(manifestFile, inPod('shop', 'manifest.sh', SET));
  const seconds = backUpShop(backup);
  inShop(`echo after-backup >${SET}/marker-after-backup`);
  return seconds;
}

/**
 * The restored dataset in `namespace` against the original manifest, by
 * lab/proof/compare.sh: equal but for what Kopia does not keep (its summary
 * is returned), and without the file written after the backup. Throws with
 * every difference otherwise.
 */
export function compareRestored(
  namespace: string,
  original: string,
  restoredFile: string,
): string {
  waitForShopPod(namespace);
  fs.writeFileSync(restoredFile, inPod(namespace, 'manifest.sh', SET));
  const summary = compareManifests(original, restoredFile);
  if (/^marker-after-backup\|/m.test(fs.readFileSync(restoredFile, 'utf8'))) {
    throw new Error('the file written after the backup came back');
  }
  return summary;
}

/** The shop as demo-up.sh leaves it (its StatefulSet, Schedule, first backup). */
export function shopBack() {
  execFileSync(demoUp, [labState()], { stdio: ['ignore', 'ignore', 'pipe'] });
}
