/*
 * The like-for-like comparison behind a network round trip: the same
 * clusters reached through delayProxy.ts (half the round trip each way), a
 * fresh backend over them, then the storage endpoint and the Kubernetes
 * plugin's custom query, timed the same way as without the delay.
 */
import { fork } from 'child_process';
import path from 'path';
import { ENTITIES } from './dataset';
import {
  BenchCluster,
  getStorage,
  postCustomQuery,
  startBenchBackend,
  waitUntilComplete,
} from './benchBackend';
import { timeSequential } from './stats';

interface DelayProxy {
  port: number;
  stop(): void;
}

function startDelayProxy(
  targetPort: number,
  oneWayMs: number,
): Promise<DelayProxy> {
  const child = fork(
    path.join(__dirname, 'delayProxy.ts'),
    [String(targetPort), String(oneWayMs)],
    { execArgv: ['--require', '@backstage/cli/config/nodeTransform.cjs'] },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', code =>
      reject(new Error(`delay proxy exited with ${code}`)),
    );
    // Not the first message: Backstage's transform in the child sends its own.
    child.on('message', (message: any) => {
      if (typeof message?.delayProxyPort === 'number')
        resolve({ port: message.delayProxyPort, stop: () => child.kill() });
    });
  });
}

export interface RoundTripOptions {
  roundTripMs: number;
  warmup: number;
  iterations: number;
  referenceIterations: number;
}

export async function measureBehindRoundTrip(
  clusters: BenchCluster[],
  options: RoundTripOptions,
) {
  const proxies = await Promise.all(
    clusters.map(c =>
      startDelayProxy(Number(new URL(c.url).port), options.roundTripMs / 2),
    ),
  );
  try {
    const behind = clusters.map((c, i) => ({
      ...c,
      url: `https://127.0.0.1:${proxies[i].port}`,
    }));
    const t0 = process.hrtime.bigint();
    const elapsedMs = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const backend = await startBenchBackend(behind);
    try {
      await waitUntilComplete(backend.client, elapsedMs);
      const coldSyncMs = Math.round(elapsedMs());
      const { client } = backend;
      const latency = {
        namespaced: await timeSequential(
          options.warmup,
          options.iterations,
          () => getStorage(client, ENTITIES.namespaced),
        ),
        allNamespaces: await timeSequential(
          options.warmup,
          options.iterations,
          () => getStorage(client, ENTITIES.allNamespaces),
        ),
      };
      const reference = {
        namespaced: await timeSequential(10, options.referenceIterations, () =>
          postCustomQuery(client, ENTITIES.namespaced),
        ),
        allNamespaces: await timeSequential(
          10,
          options.referenceIterations,
          () => postCustomQuery(client, ENTITIES.allNamespaces),
        ),
      };
      return {
        roundTripMs: options.roundTripMs,
        coldSyncMs,
        latency,
        reference,
      };
    } finally {
      await backend.stop();
    }
  } finally {
    for (const proxy of proxies) proxy.stop();
  }
}
