/*
 * How long the storage endpoint's answers stay stale when its watches break,
 * on bench cluster 1 (lab/_state-bench, dataset loaded):
 *
 *   - healthy: a new claim and the pod that mounts it, created while the
 *     watches run;
 *   - apiserver restart: kube-apiserver stopped and started again (same
 *     command line, same etcd), the marker created as soon as it is ready;
 *   - a longer outage: the apiserver away for 30 s;
 *   - etcd compacted: while the apiserver is away, etcd is written to and
 *     compacted past the resourceVersion the backend's watches hold (with
 *     etcdctl, lab/scripts/build.sh etcdctl), so that they come back to a
 *     410 Gone and must list again. After the marker, a watch from that
 *     resourceVersion is asked for, to prove it was gone.
 *
 * Stale = from the marker's create call returning until the endpoint's
 * answer for the namespaced entity names the claim (polled every 50 ms).
 * During each outage the endpoint is asked too: it must keep answering from
 * its cache, not fail.
 *
 *   lab/scripts/up.sh lab/_state-bench     (after scripts/bench.sh loaded it)
 *   lab/scripts/build.sh etcdctl
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/src/watchBreak.ts
 *
 * Results: bench/results/watch-break.json; docs/benchmarks.md quotes them.
 */
import { execFileSync, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { setTimeout as sleep } from 'timers/promises';
import {
  fixtures,
  KubernetesError,
  LabAdmin,
  readEnvFile,
} from '@openebs-portal/lab-testkit';
import {
  Client,
  POLL_MS,
  startBenchBackend,
  storagePath,
  waitUntilComplete,
} from './benchBackend';
import {
  ENTITIES,
  entityId,
  namespaceName,
  TARGET_NAMESPACE_INDEX,
} from './dataset';
import {
  benchLabs,
  benchState,
  REPO_ROOT,
  RESULTS_DIR,
  writeJson,
} from './paths';

const STATE = path.join(REPO_ROOT, benchState(1));
const STALE_TIMEOUT_MS = 180_000;
const GRACE_MS = 5_000;
const MARKER_LABEL = 'openebs-portal.dev/bench-marker';
const ETCDCTL = path.join(
  process.env.OPENEBS_LAB_CACHE ??
    path.join(os.homedir(), '.cache/openebs-portal/lab'),
  'bin/etcdctl',
);

const progress = (text: string) =>
  process.stderr.write(`[watch-break ${new Date().toISOString()}] ${text}\n`);

/** The marker: a claim and the entity's pod that mounts it. */
function marker(name: string) {
  const namespace = namespaceName(TARGET_NAMESPACE_INDEX);
  const labels = {
    'backstage.io/kubernetes-id': entityId(TARGET_NAMESPACE_INDEX),
    [MARKER_LABEL]: 'watch-break',
  };
  const { claim } = fixtures.claim({
    namespace,
    name,
    storageClass: 'openebs-localpv-hostpath',
    labels,
  });
  const pod = fixtures.pod({ namespace, name, labels, claims: [name] });
  return [claim, pod];
}

/** Creates the marker, then polls the endpoint until it names the claim. */
async function staleness(admin: LabAdmin, client: Client, name: string) {
  const manifests = marker(name);
  for (const manifest of manifests) await admin.create(manifest);
  const created = Date.now();
  progress(`${name}: created`);
  let polls = 0;
  while (Date.now() - created < STALE_TIMEOUT_MS) {
    polls++;
    const { status, text } = await client.request(
      'GET',
      storagePath(ENTITIES.namespaced),
    );
    if (status === 200 && text.includes(`"${name}"`)) {
      return { staleMs: Date.now() - created, polls, manifests };
    }
    if (polls % 100 === 0) {
      progress(
        `${name}: not yet in the answer (HTTP ${status}, ${polls} polls)`,
      );
    }
    await sleep(POLL_MS);
  }
  throw new Error(`${name} not in the answer after ${STALE_TIMEOUT_MS} ms`);
}

const pidFile = (name: string) => path.join(STATE, 'run', `${name}.pid`);

/** Stops kube-apiserver; returns how to start it again, as it was. */
async function stopApiserver() {
  const pid = Number(fs.readFileSync(pidFile('kube-apiserver'), 'utf8'));
  const argv = fs
    .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    .split('\0')
    .filter(Boolean);
  // SIGTERM first, as a kubelet stops it. Its graceful termination waits
  // for open watches that nothing ends (ours among them): SIGKILL after
  // the grace period, as the kubelet would (after 30 s by default).
  process.kill(pid, 'SIGTERM');
  const termAt = Date.now();
  let killed = false;
  while (alive(pid)) {
    if (!killed && Date.now() - termAt > GRACE_MS) {
      process.kill(pid, 'SIGKILL');
      killed = true;
    }
    await sleep(50);
  }
  const restart = () => {
    // As lab_daemon starts it: its own session, appending to its log.
    const log = fs.openSync(
      path.join(STATE, 'logs', 'kube-apiserver.log'),
      'a',
    );
    const child = spawn(argv[0], argv.slice(1), {
      detached: true,
      stdio: ['ignore', log, log],
    });
    child.unref();
    fs.writeFileSync(pidFile('kube-apiserver'), `${child.pid}\n`);
  };
  return { restart, killed };
}

/** Running, and not a zombie. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitReady(admin: LabAdmin) {
  for (;;) {
    try {
      // (/readyz answers text, and the admin client reads JSON.)
      await admin.get('/api/v1/namespaces/default');
      return;
    } catch {
      await sleep(100);
    }
  }
}

/** etcdctl against bench cluster 1's etcd, with the apiserver's client certificate. */
function etcdctl(...args: string[]): string {
  // Bench cluster 1's env file (lab/scripts/up.sh): its etcd URL and CA.
  const env = readEnvFile(path.join(STATE, 'env'));
  const pki = path.join(STATE, 'pki');
  return execFileSync(
    ETCDCTL,
    [
      `--endpoints=${env.LAB_ETCD_URL}`,
      `--cacert=${env.LAB_CA_FILE}`,
      `--cert=${path.join(pki, 'apiserver-etcd-client.crt')}`,
      `--key=${path.join(pki, 'apiserver-etcd-client.key')}`,
      ...args,
    ],
    { encoding: 'utf8' },
  );
}

/**
 * Moves etcd's revision on (a key written and deleted, outside the
 * apiserver's prefix) and compacts everything before it: every
 * resourceVersion a client held is gone. Returns the compacted revision.
 */
function compactEtcd(): number {
  const key = '/openebs-portal-bench/compaction';
  etcdctl('put', key, new Date().toISOString());
  etcdctl('del', key);
  const [status] = JSON.parse(etcdctl('endpoint', 'status', '-w', 'json'));
  const revision = Number(status.Status.header.revision);
  etcdctl('compact', String(revision), '--physical');
  return revision;
}

/**
 * What the apiserver answers a watch from `resourceVersion`: a 410 (as an
 * HTTP status or as the watch's ERROR event) when it is gone. A 429 is its
 * watch cache still filling after the start: asked again.
 */
async function watchFrom(
  admin: LabAdmin,
  resourceVersion: string,
): Promise<number | string> {
  const namespace = namespaceName(TARGET_NAMESPACE_INDEX);
  for (let attempt = 1; ; attempt++) {
    try {
      const event = await admin.request(
        'GET',
        `/api/v1/namespaces/${namespace}/pods?watch=1&resourceVersion=${resourceVersion}&timeoutSeconds=1`,
      );
      return event?.type === 'ERROR' ? event.object.code : 200;
    } catch (error) {
      if (!(error instanceof KubernetesError)) throw error;
      if (error.statusCode !== 429 || attempt === 60) {
        return error.statusCode ?? error.message;
      }
      await sleep(500);
    }
  }
}

/**
 * An outage: the apiserver down for `downMs`; `during` runs while it is
 * down.
 */
async function outage(
  admin: LabAdmin,
  client: Client,
  downMs: number,
  during?: () => Record<string, unknown>,
) {
  const stoppedAt = Date.now();
  const { restart, killed } = await stopApiserver();
  let answer;
  let done;
  try {
    // The endpoint keeps answering from its cache while the cluster is away.
    answer = await client.request('GET', storagePath(ENTITIES.namespaced));
    done = during?.();
    await sleep(Math.max(0, downMs - (Date.now() - stoppedAt)));
  } finally {
    restart();
  }
  await waitReady(admin);
  return {
    downMs: Date.now() - stoppedAt,
    killedAfterGrace: killed,
    answerDuringOutage: answer.status,
    ...done,
  };
}

/**
 * The compaction scenario: the resourceVersion the watches hold now, etcd
 * compacted past it while the apiserver is down, and the proof afterwards
 * that a watch from it is refused.
 */
async function compactionFault(admin: LabAdmin) {
  const held = (await admin.get('/api/v1/namespaces?limit=1')).metadata
    .resourceVersion as string;
  return {
    during: () => ({ heldResourceVersion: held, compactedAt: compactEtcd() }),
    proof: async () => ({ watchFromHeld: await watchFrom(admin, held) }),
  };
}

/** Markers an interrupted run left: they would change the entity's answer. */
async function removeLeftovers(admin: LabAdmin) {
  const namespace = namespaceName(TARGET_NAMESPACE_INDEX);
  for (const [plural, kind] of [
    ['pods', 'Pod'],
    ['persistentvolumeclaims', 'PersistentVolumeClaim'],
  ]) {
    const list = await admin.get(
      `/api/v1/namespaces/${namespace}/${plural}?labelSelector=${MARKER_LABEL}`,
    );
    for (const { metadata } of list.items) {
      await admin.remove({ apiVersion: 'v1', kind, metadata });
    }
  }
}

async function main() {
  if (!fs.existsSync(ETCDCTL)) {
    throw new Error(`${ETCDCTL} missing: run lab/scripts/build.sh etcdctl`);
  }
  progress('starting the backend');
  const [{ name, lab }] = benchLabs();
  const admin = new LabAdmin(lab);
  const backend = await startBenchBackend([
    {
      name,
      url: lab.url,
      authProvider: 'serviceAccount',
      serviceAccountToken: lab.backstageToken,
      caData: lab.caData,
    },
  ]);
  await removeLeftovers(admin);
  const created: any[] = [];
  const results: Record<string, unknown> = {};
  try {
    const t0 = Date.now();
    await waitUntilComplete(backend.client, () => Date.now() - t0);
    progress(`synced in ${Date.now() - t0} ms`);
    const run = Date.now().toString(36);
    const healthy = await staleness(admin, backend.client, `wb-${run}-healthy`);
    created.push(...healthy.manifests);
    results.healthy = { staleMs: healthy.staleMs };
    for (const [scenario, downMs] of [
      ['apiserverRestart', 2_000],
      ['apiserverRestart30s', 30_000],
      ['etcdCompacted', 2_000],
    ] as const) {
      const compaction =
        scenario === 'etcdCompacted' ? await compactionFault(admin) : undefined;
      const broken = await outage(
        admin,
        backend.client,
        downMs,
        compaction?.during,
      );
      const seen = await staleness(
        admin,
        backend.client,
        `wb-${run}-${scenario.toLowerCase()}`,
      );
      created.push(...seen.manifests);
      // After the marker, so that asking does not delay it.
      const proof = await compaction?.proof();
      results[scenario] = { ...broken, staleMs: seen.staleMs, ...proof };
      process.stdout.write(
        `${scenario}: ${JSON.stringify(results[scenario])}\n`,
      );
    }
  } finally {
    for (const manifest of created.reverse()) {
      await admin.remove(manifest).catch(() => undefined);
    }
    await backend.stop();
  }
  const file = path.join(RESULTS_DIR, 'watch-break.json');
  writeJson(file, { date: new Date().toISOString(), results });
  process.stdout.write(
    `${JSON.stringify(results, null, 2)}\nwritten: ${file}\n`,
  );
}

// Exits on its own: the backend's and the clients' sockets would keep it up.
main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
