/*
 * Loads the benchmark dataset into the lab apiserver (lab/_state-bench).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/src/load.ts [--force]
 *
 * With BENCH_CLUSTER=k and OPENEBS_LAB_ENV naming cluster k's lab, loads
 * that cluster's copy of the dataset (see dataset.ts).
 *
 * Idempotent: a marker ConfigMap records a finished load of this dataset
 * version; when it is there and the object counts agree, nothing is written.
 * An interrupted load resumes (existing objects are kept, 409 = done).
 * Then lists every collection the plugin reads once (see warmUpApiserver).
 * Writes bench/results/load.json with the load time and rate.
 */
import {
  backupsOf,
  claimsOf,
  ClaimSpec,
  CLUSTER_INDEX,
  clusterObjects,
  DATASET,
  expectedCounts,
  MARKER,
  namespaces,
  podsOf,
} from './dataset';
import { storageReadModelCollections } from '@openebs-portal/plugin-openebs-storage-backend/testUtils';
import { forEachBounded, KubeWriter } from './kubeWriter';
import { benchLab, loadResults, writeJson } from './paths';

const CONCURRENCY = Number(process.env.BENCH_LOAD_CONCURRENCY ?? 24);

export interface LoadResult {
  datasetVersion: string;
  skipped: boolean;
  /** When the dataset was loaded (now, or by an earlier run). */
  loadedAt: string;
  loadSeconds: number;
  objects: number;
  requests: number;
  retries: number;
  objectsPerSecond: number;
  requestsPerSecond: number;
  concurrency: number;
  phases: Record<string, { objects: number; seconds: number }>;
  counts: Record<string, number>;
  /** This run's warm-up lists (not part of the load). */
  apiserverWarmupSeconds: number;
}

const MARKER_PATH = `/api/v1/namespaces/${MARKER.namespace}/configmaps/${MARKER.name}`;

/** How many objects a collection holds, from one `limit=1` page. */
async function count(writer: KubeWriter, path: string): Promise<number> {
  const page = await writer.get<any>(`${path}?limit=1`);
  return (page.items?.length ?? 0) + (page.metadata?.remainingItemCount ?? 0);
}

async function countAll(writer: KubeWriter): Promise<Record<string, number>> {
  const velero = '/apis/velero.io/v1/namespaces/velero';
  return {
    claims: await count(writer, '/api/v1/persistentvolumeclaims'),
    volumes: await count(writer, '/api/v1/persistentvolumes'),
    pods: await count(writer, '/api/v1/pods'),
    backups: await count(writer, `${velero}/backups`),
    podVolumeBackups: await count(writer, `${velero}/podvolumebackups`),
    schedules: await count(writer, `${velero}/schedules`),
  };
}

function countsComplete(counts: Record<string, number>): boolean {
  return Object.entries(counts).every(
    ([key, n]) => n >= (expectedCounts as Record<string, number>)[key],
  );
}

function progress(label: string, total: number) {
  const started = Date.now();
  let done = 0;
  let lastPrint = started;
  return {
    tick() {
      done++;
      const now = Date.now();
      if (now - lastPrint > 5000 || done === total) {
        lastPrint = now;
        const seconds = (now - started) / 1000;
        process.stderr.write(
          `[bench load] ${label}: ${done}/${total} (${seconds.toFixed(
            1,
          )} s, ${Math.round(done / seconds)}/s)\n`,
        );
      }
    },
  };
}

/**
 * Right after the lab starts, the apiserver is the cold part: its first
 * lists of 20,000 objects take several times longer than later ones. A
 * Backstage restart in production meets a warm apiserver, so before the
 * plugin's cold sync is measured, every collection the plugin reads is listed
 * once, as the plugin lists it (pages of 500). Done here, in its own process,
 * so that the measuring process's heap and RSS baseline stay clean.
 */
async function warmUpApiserver(writer: KubeWriter): Promise<number> {
  const started = process.hrtime.bigint();
  const paths = storageReadModelCollections('velero');
  await forEachBounded(paths, 4, async collection => {
    let token: string | undefined;
    do {
      const query = new URLSearchParams({
        limit: '500',
        ...(token && { continue: token }),
      });
      const page = await writer.getOptional<any>(`${collection}?${query}`);
      token = page?.metadata?.continue || undefined;
    } while (token);
  });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main() {
  const lab = benchLab();
  const writer = new KubeWriter(lab, CONCURRENCY);
  const force = process.argv.includes('--force');

  try {
    const marker = await writer.getOptional<any>(MARKER_PATH);
    if (!force && marker?.data?.version === DATASET.version) {
      const counts = await countAll(writer);
      if (countsComplete(counts)) {
        const recorded = JSON.parse(marker.data.result) as LoadResult;
        process.stderr.write(
          `[bench load] dataset ${DATASET.version} already loaded on ${recorded.loadedAt} ` +
            `(${recorded.objects} objects in ${recorded.loadSeconds.toFixed(
              1,
            )} s); skipping\n`,
        );
        const apiserverWarmupSeconds = await warmUpApiserver(writer);
        process.stderr.write(
          `[bench load] apiserver warm-up lists: ${apiserverWarmupSeconds.toFixed(
            1,
          )} s\n`,
        );
        writeJson(loadResults(CLUSTER_INDEX), {
          ...recorded,
          skipped: true,
          counts,
          apiserverWarmupSeconds,
        });
        return;
      }
      process.stderr.write(
        `[bench load] marker found but counts are short (${JSON.stringify(
          counts,
        )}); resuming\n`,
      );
    }

    const phases: LoadResult['phases'] = {};
    const timed = async (
      name: string,
      objects: number,
      fn: () => Promise<void>,
    ) => {
      const t0 = process.hrtime.bigint();
      await fn();
      phases[name] = {
        objects,
        seconds: Number(process.hrtime.bigint() - t0) / 1e9,
      };
    };
    const started = process.hrtime.bigint();
    process.stderr.write(
      `[bench load] loading dataset ${DATASET.version} into ${lab.url} with ${CONCURRENCY} requests in flight\n`,
    );

    const cluster = clusterObjects();
    await timed(
      'cluster objects (classes, location, schedules)',
      cluster.length,
      async () => {
        for (const manifest of cluster) await writer.apply(manifest);
      },
    );

    const nsManifests = namespaces();
    await timed('namespaces', nsManifests.length, () =>
      forEachBounded(nsManifests, CONCURRENCY, async m => {
        await writer.apply(m);
      }),
    );

    // Claims (with their PVs) and pods; the claims' uids feed the backups.
    const claimSpecs: ClaimSpec[] = nsManifests.flatMap((_, i) => claimsOf(i));
    const pods = nsManifests.flatMap((_, i) => podsOf(i));
    const claimUids = new Map<ClaimSpec, string>();
    const claimProgress = progress('claims + volumes', claimSpecs.length);
    await timed('claims + volumes', claimSpecs.length * 2, () =>
      forEachBounded(claimSpecs, CONCURRENCY, async spec => {
        const stored = await writer.apply(spec.claim);
        claimUids.set(spec, stored.metadata.uid);
        await writer.apply(spec.volume);
        claimProgress.tick();
      }),
    );
    const podProgress = progress('pods', pods.length);
    await timed('pods', pods.length, () =>
      forEachBounded(pods, CONCURRENCY, async pod => {
        await writer.apply(pod);
        podProgress.tick();
      }),
    );

    // Each Backup, then its PodVolumeBackup (owner reference = the Backup's uid).
    const backups = claimSpecs.flatMap(spec =>
      backupsOf(spec, claimUids.get(spec)!),
    );
    const backupProgress = progress(
      'backups + podvolumebackups',
      backups.length,
    );
    await timed('backups + podvolumebackups', backups.length * 2, () =>
      forEachBounded(backups, CONCURRENCY, async spec => {
        const stored = await writer.apply(spec.backup);
        await writer.apply(spec.podVolumeBackup(stored.metadata.uid));
        backupProgress.tick();
      }),
    );

    const loadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const objects = Object.values(phases).reduce(
      (sum, p) => sum + p.objects,
      0,
    );
    const counts = await countAll(writer);
    if (!countsComplete(counts)) {
      throw new Error(
        `Load finished but counts are short: ${JSON.stringify(counts)}`,
      );
    }
    const result: LoadResult = {
      datasetVersion: DATASET.version,
      skipped: false,
      loadedAt: new Date().toISOString(),
      loadSeconds,
      objects,
      requests: writer.requests,
      retries: writer.retries,
      objectsPerSecond: objects / loadSeconds,
      requestsPerSecond: writer.requests / loadSeconds,
      concurrency: CONCURRENCY,
      phases,
      counts,
      apiserverWarmupSeconds: 0,
    };
    // The marker goes last: it exists only after a complete load.
    const markerManifest = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace: MARKER.namespace, name: MARKER.name },
      data: { version: DATASET.version, result: JSON.stringify(result) },
    };
    if (await writer.getOptional(MARKER_PATH)) {
      await writer.request('DELETE', MARKER_PATH);
    }
    await writer.apply(markerManifest);
    result.apiserverWarmupSeconds = await warmUpApiserver(writer);
    writeJson(loadResults(CLUSTER_INDEX), result);
    process.stderr.write(
      `[bench load] ${objects} objects in ${loadSeconds.toFixed(1)} s ` +
        `(${Math.round(result.objectsPerSecond)} objects/s, ` +
        `${result.requests} requests, ` +
        `${Math.round(result.requestsPerSecond)} requests/s, ` +
        `${result.retries} retries)\n`,
    );
  } finally {
    writer.close();
  }
}

main().catch(error => {
  process.stderr.write(`[bench load] FAILED: ${error?.stack ?? error}\n`);
  process.exit(1);
});
