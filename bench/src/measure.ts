/*
 * Measures the storage backend against the loaded lab (see load.ts):
 *
 *   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs bench/src/measure.ts
 *
 * In one process: a Backstage test backend (startTestBackend) serving the
 * real openebs-storage plugin and the real Kubernetes plugin, both reading
 * the lab apiserver with the Backstage ServiceAccount token, measured over
 * HTTP on its loopback port. Writes bench/results/latest.json.
 */
import { execFileSync } from 'child_process';
import os from 'os';
import path from 'path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityStorage } from '@openebs-portal/plugin-openebs-storage-common';
import { createStorageReadModel } from '@openebs-portal/plugin-openebs-storage-backend/testUtils';
import { DATASET, ENTITIES, expectedCounts } from './dataset';
import {
  BenchCluster,
  customQueryBody,
  getStorage,
  POLL_MS,
  postCustomQuery,
  startBenchBackend,
  storagePath,
  waitUntilComplete,
} from './benchBackend';
import { LoadResult } from './load';
import {
  benchLabs,
  LATEST_RESULTS,
  loadResults,
  readJson,
  REPO_ROOT,
  RESULTS_DIR,
  writeJson,
} from './paths';
import { profile, ProfileSummary } from './profile';
import { measureBehindRoundTrip } from './roundTrip';
import { mib, timeSequential } from './stats';

/** The p95 goals of the storage endpoint, per measured entity. */
const GOAL_P95_MS = { namespaced: 5, allNamespaces: 20 };
const WARMUP = Number(process.env.BENCH_WARMUP ?? 50);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 500);
const REFERENCE_ITERATIONS = Number(
  process.env.BENCH_REFERENCE_ITERATIONS ?? 200,
);
/** The round trip added for the like-for-like comparison; 0 skips it. */
const ROUND_TRIP_MS = Number(process.env.BENCH_ROUND_TRIP_MS ?? 20);
const RSS_SAMPLE_MS = 20;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** The bench lab runs no pods but the dataset's, so all of them were listed. */
function objectsWatched(storeSizes: Record<string, number>): number {
  const cached = Object.values(storeSizes).reduce((a, b) => a + b, 0);
  return cached - (storeSizes.pods ?? 0) + expectedCounts.pods;
}

function forceGc(): void {
  if (!global.gc) throw new Error('Run node with --expose-gc');
  for (let i = 0; i < 4; i++) global.gc();
}

async function settledMemory() {
  // Let pending callbacks release what they hold, then collect fully.
  await new Promise(resolve => setTimeout(resolve, 200));
  forceGc();
  await new Promise(resolve => setImmediate(resolve));
  forceGc();
  const m = process.memoryUsage();
  return {
    heapUsedMiB: mib(m.heapUsed),
    heapTotalMiB: mib(m.heapTotal),
    externalMiB: mib(m.external),
    arrayBuffersMiB: mib(m.arrayBuffers),
    rssMiB: mib(m.rss),
  };
}

/** What the storage answer contains, checked against the dataset. */
function checkStorage(body: EntityStorage) {
  const lab = body.clusters.find(c => c.cluster === 'lab');
  const volumes = lab?.volumes ?? [];
  const backups = volumes.reduce((n, v) => n + v.backups.length, 0);
  const problems: string[] = [];
  if (!lab) problems.push('no lab cluster in the answer');
  if (lab?.errors.length)
    problems.push(`errors: ${JSON.stringify(lab.errors)}`);
  if (volumes.length !== DATASET.claimsPerNamespace)
    problems.push(`${volumes.length} volumes`);
  if (backups !== DATASET.claimsPerNamespace * DATASET.backupsPerClaim)
    problems.push(`${backups} backups`);
  for (const other of body.clusters.filter(c => c.cluster !== 'lab')) {
    if (other.errors.length || other.volumes.length)
      problems.push(
        `cluster ${other.cluster}: ${
          other.volumes.length
        } volumes, errors ${JSON.stringify(other.errors)}`,
      );
  }
  if (volumes.some(v => !v.node)) problems.push('a volume without a node');
  if (volumes.some(v => v.backups.some(b => !b.backupPhase)))
    problems.push('a backup not matched to its Backup');
  return {
    volumes: volumes.length,
    backups,
    namespaces: lab?.namespaces ?? [],
    schedules: lab?.schedules.map(s => s.name) ?? [],
    health: body.health?.status,
    problems,
  };
}

const silentLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

// ---------------------------------------------------------------------------

/** Which plugin code was measured: the commit, and whether it had local edits. */
function sourceState() {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  try {
    const changed = git(
      'status',
      '--porcelain',
      '--',
      'plugins/openebs-storage-backend',
      'plugins/openebs-storage-common',
    );
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      pluginFilesChanged: changed ? changed.split('\n').length : 0,
    };
  } catch {
    return { commit: 'unknown', pluginFilesChanged: null };
  }
}

/** The highest RSS seen between start() and stop(), sampled every 20 ms. */
function rssPeak() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      return mib(Math.max(peak, process.memoryUsage.rss()));
    },
  };
}

async function main() {
  const labs = benchLabs();
  const loads = labs.map((_, i) => readJson<LoadResult>(loadResults(i + 1)));
  const load = loads[0];
  const loadAvgStart = os.loadavg();

  const clusters: BenchCluster[] = labs.map(({ name, lab }) => ({
    name,
    url: lab.url,
    authProvider: 'serviceAccount',
    serviceAccountToken: lab.backstageToken,
    caData: lab.caData,
  }));

  // 1. Baseline: every module loaded, nothing started.
  const baseline = await settledMemory();
  log(`baseline heap ${baseline.heapUsedMiB} MiB, rss ${baseline.rssMiB} MiB`);

  // 2. Cold sync: from starting the backend until the entity's answer is
  //    complete in every cluster.
  const syncRss = rssPeak();
  const cpuAtStart = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - t0) / 1e6;
  const backend = await startBenchBackend(clusters);
  const backendStartMs = elapsedMs();
  const { client } = backend;
  const { polls } = await waitUntilComplete(client, elapsedMs);
  const coldSyncMs = elapsedMs();
  const coldSyncCpu = process.cpuUsage(cpuAtStart);
  const coldSyncRssPeakMiB = syncRss.stop();
  log(
    `cold sync ${(coldSyncMs / 1000).toFixed(2)} s for ${
      labs.length
    } cluster(s) (backend started in ${backendStartMs.toFixed(
      0,
    )} ms, ${polls} polls, RSS peak ${coldSyncRssPeakMiB} MiB)`,
  );

  // 3. Memory with the caches filled.
  const filled = await settledMemory();
  log(
    `filled heap ${filled.heapUsedMiB} MiB (+${(
      filled.heapUsedMiB - baseline.heapUsedMiB
    ).toFixed(1)}), rss ${filled.rssMiB} MiB`,
  );

  // 4. Latency of the storage endpoint.
  const namespacedRaw = await client.request(
    'GET',
    storagePath(ENTITIES.namespaced),
  );
  const allRaw = await client.request(
    'GET',
    storagePath(ENTITIES.allNamespaces),
  );
  const answers = {
    namespaced: {
      ...checkStorage(JSON.parse(namespacedRaw.text)),
      bytes: namespacedRaw.text.length,
    },
    allNamespaces: {
      ...checkStorage(JSON.parse(allRaw.text)),
      bytes: allRaw.text.length,
    },
  };
  for (const [name, a] of Object.entries(answers)) {
    if (a.problems.length)
      throw new Error(`Answer for ${name} is wrong: ${a.problems.join('; ')}`);
  }
  const getOk = (entity: Entity) => () => getStorage(client, entity);
  log(
    `storage endpoint: ${WARMUP} warm-up + ${ITERATIONS} sequential GETs per entity`,
  );
  const latency = {
    namespaced: await timeSequential(
      WARMUP,
      ITERATIONS,
      getOk(ENTITIES.namespaced),
    ),
    allNamespaces: await timeSequential(
      WARMUP,
      ITERATIONS,
      getOk(ENTITIES.allNamespaces),
    ),
  };
  log(
    `  namespaced p50 ${latency.namespaced.p50Ms} ms, p95 ${latency.namespaced.p95Ms} ms`,
  );
  log(
    `  all namespaces p50 ${latency.allNamespaces.p50Ms} ms, p95 ${latency.allNamespaces.p95Ms} ms`,
  );

  // 5. Reference: the Kubernetes plugin's custom query (lists live each time).
  const referenceAnswer = async (entity: Entity) => {
    const body = await client.json<any>(
      'POST',
      '/api/kubernetes/resources/custom/query',
      customQueryBody(entity),
    );
    // One item per cluster.
    const items: any[] = body.items ?? [];
    const pvcs = items
      .flatMap(item => item.resources ?? [])
      .reduce((n: number, r: any) => n + (r.resources?.length ?? 0), 0);
    const errors = items.flatMap(item => item.errors ?? []);
    if (errors.length)
      throw new Error(`Kubernetes plugin errors: ${JSON.stringify(errors)}`);
    return { pvcs, bytes: JSON.stringify(body).length };
  };
  const postOk = (entity: Entity) => () => postCustomQuery(client, entity);
  log(
    `reference: 10 warm-up + ${REFERENCE_ITERATIONS} POST /api/kubernetes/resources/custom/query per entity`,
  );
  const reference = {
    namespaced: {
      ...(await referenceAnswer(ENTITIES.namespaced)),
      ...(await timeSequential(
        10,
        REFERENCE_ITERATIONS,
        postOk(ENTITIES.namespaced),
      )),
    },
    allNamespaces: {
      ...(await referenceAnswer(ENTITIES.allNamespaces)),
      ...(await timeSequential(
        10,
        REFERENCE_ITERATIONS,
        postOk(ENTITIES.allNamespaces),
      )),
    },
  };
  log(
    `  namespaced p50 ${reference.namespaced.p50Ms} ms, p95 ${reference.namespaced.p95Ms} ms (${reference.namespaced.pvcs} PVCs)`,
  );
  log(
    `  all namespaces p50 ${reference.allNamespaces.p50Ms} ms, p95 ${reference.allNamespaces.p95Ms} ms`,
  );

  // 6. CPU profiles of the storage endpoint (after the timed runs, so the
  //    profiler's overhead is not in the numbers above).
  const profiles: Record<string, ProfileSummary> = {};
  for (const [name, entity] of Object.entries(ENTITIES)) {
    profiles[name] = await profile(
      path.join(RESULTS_DIR, `storage-${name}.cpuprofile`),
      async () => {
        for (let i = 0; i < 200; i++) await getOk(entity)();
      },
    );
  }

  await backend.stop();

  // 7. The caches alone: the read model as the plugin builds it, without
  //    the backend around it, and the service called in-process (no HTTP).
  const beforeCache = await settledMemory();
  const cacheStart = process.hrtime.bigint();
  const readModels = clusters.map(cluster =>
    createStorageReadModel({ cluster, logger: silentLogger }),
  );
  const [readModel] = readModels;
  const listMs = (await Promise.all(readModels.map(m => m.start())))[0];
  const cacheSyncMs = Number(process.hrtime.bigint() - cacheStart) / 1e6;
  const cacheErrors = readModels.flatMap(m => m.errors());
  if (cacheErrors.length)
    throw new Error(`Standalone cache errors: ${JSON.stringify(cacheErrors)}`);
  const withCache = await settledMemory();
  const storeSizesPerCluster = readModels.map(m => m.objectCounts());
  const storeSizes = storeSizesPerCluster[0];
  const objectsCached = storeSizesPerCluster
    .flatMap(sizes => Object.values(sizes))
    .reduce((a, b) => a + b, 0);
  const watched = storeSizesPerCluster
    .map(objectsWatched)
    .reduce((a, b) => a + b, 0);
  const inProcess = {
    namespaced: await timeSequential(WARMUP, ITERATIONS, async () =>
      JSON.stringify(await readModel.getEntityStorage(ENTITIES.namespaced)),
    ),
    allNamespaces: await timeSequential(WARMUP, ITERATIONS, async () =>
      JSON.stringify(await readModel.getEntityStorage(ENTITIES.allNamespaces)),
    ),
  };
  for (const m of readModels) m.stop();
  const cacheHeapMiB =
    Math.round((withCache.heapUsedMiB - beforeCache.heapUsedMiB) * 10) / 10;
  log(
    `standalone cache: ${objectsCached} objects, +${cacheHeapMiB} MiB heap, synced in ${(
      cacheSyncMs / 1000
    ).toFixed(2)} s`,
  );

  // 8. The same, behind a network round trip (a fresh backend, cold); after
  //    the memory measures, so that its leftovers are not in them.
  const behindRoundTrip =
    ROUND_TRIP_MS > 0
      ? await measureBehindRoundTrip(clusters, {
          roundTripMs: ROUND_TRIP_MS,
          warmup: WARMUP,
          iterations: REFERENCE_ITERATIONS,
          referenceIterations: REFERENCE_ITERATIONS,
        })
      : null;
  if (behindRoundTrip) {
    const { latency: l, reference: ref } = behindRoundTrip;
    log(
      `behind ${ROUND_TRIP_MS} ms round trip: cold sync ${(
        behindRoundTrip.coldSyncMs / 1000
      ).toFixed(2)} s; storage p95 ${l.namespaced.p95Ms} / ${
        l.allNamespaces.p95Ms
      } ms; reference p95 ${ref.namespaced.p95Ms} / ${
        ref.allNamespaces.p95Ms
      } ms`,
    );
  }

  const cpus = os.cpus();
  const result = {
    schemaVersion: 1,
    generatedAt: new Date().toISOString(),
    source: sourceState(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      loadAverageStart: loadAvgStart.map(x => Math.round(x * 100) / 100),
      loadAverageEnd: os.loadavg().map(x => Math.round(x * 100) / 100),
    },
    dataset: {
      ...DATASET,
      expected: expectedCounts,
      target: stringifyEntityRef(ENTITIES.namespaced),
    },
    clusters: labs.length,
    load: load ?? null,
    loads: loads.map(l => l ?? null),
    coldSync: {
      ms: Math.round(coldSyncMs),
      // bench/src/load.ts listed everything once just before (see there).
      apiserverWarmupMs: load
        ? Math.round(load.apiserverWarmupSeconds * 1000)
        : null,
      backendStartMs: Math.round(backendStartMs),
      polls,
      pollIntervalMs: POLL_MS,
      // CPU this process spent meanwhile (parsing lists, projecting, indexing);
      // the rest of the wall time is the apiserver and etcd.
      processCpuMs: Math.round((coldSyncCpu.user + coldSyncCpu.system) / 1000),
      rssPeakMiB: coldSyncRssPeakMiB,
    },
    memory: {
      baseline,
      cachesFilled: filled,
      backendHeapDeltaMiB:
        Math.round((filled.heapUsedMiB - baseline.heapUsedMiB) * 10) / 10,
      backendRssDeltaMiB:
        Math.round((filled.rssMiB - baseline.rssMiB) * 10) / 10,
      standaloneCache: {
        heapDeltaMiB: cacheHeapMiB,
        rssDeltaMiB:
          Math.round((withCache.rssMiB - beforeCache.rssMiB) * 10) / 10,
        syncMs: Math.round(cacheSyncMs),
        objects: objectsCached,
        bytesPerObject: Math.round((cacheHeapMiB * 1048576) / objectsCached),
        // The lists also returned the pods the cache does not keep (no
        // claim): per object the cluster holds of the watched kinds.
        objectsWatched: watched,
        bytesPerWatchedObject: Math.round((cacheHeapMiB * 1048576) / watched),
        // Cluster 1's; the others hold the same dataset under other names.
        storeSizes,
        listMs,
      },
    },
    answers,
    latency,
    inProcess,
    reference,
    behindRoundTrip,
    profiles,
    goal: {
      namespacedP95Ms: GOAL_P95_MS.namespaced,
      allNamespacesP95Ms: GOAL_P95_MS.allNamespaces,
      metNamespaced: latency.namespaced.p95Ms < GOAL_P95_MS.namespaced,
      metAllNamespaces: latency.allNamespaces.p95Ms < GOAL_P95_MS.allNamespaces,
    },
  };
  writeJson(LATEST_RESULTS, result);
  log(`results written to ${path.relative(process.cwd(), LATEST_RESULTS)}`);
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`[bench] FAILED: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
