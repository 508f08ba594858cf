/*
 * Prints bench/results/latest.json as Markdown tables (readable in a
 * terminal, and the same tables docs/benchmarks.md carries).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/src/report.ts [results.json]
 */
import { LATEST_RESULTS, readJson } from './paths';

const ms = (x: number) =>
  x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
const s = (millis: number) => `${(millis / 1000).toFixed(1)} s`;

function latencyRow(label: string, l: any, extra = ''): string {
  return `| ${label} | ${l.count} | ${ms(l.p50Ms)} | ${ms(l.p95Ms)} | ${ms(
    l.p99Ms,
  )} | ${ms(l.maxMs)} | ${extra} |`;
}

function main() {
  const file = process.argv[2] ?? LATEST_RESULTS;
  const r = readJson<any>(file);
  if (!r) throw new Error(`No results in ${file}: run yarn bench`);
  const out: string[] = [];
  const m = r.machine;
  const d = r.dataset;
  out.push(
    `Run ${r.generatedAt} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node} ` +
      `(load average ${m.loadAverageStart[0]} at start, ${m.loadAverageEnd[0]} at end); ` +
      `plugin code at ${r.source.commit}` +
      (r.source.pluginFilesChanged
        ? ` + ${r.source.pluginFilesChanged} locally changed file(s).`
        : '.'),
    '',
    `Dataset ${d.version}${
      r.clusters > 1 ? `, in each of ${r.clusters} clusters` : ''
    }: ${d.expected.claims} PVCs + PVs in ${d.namespaces} namespaces, ` +
      `${d.expected.pods} pods, ${d.expected.backups} Backups + ${d.expected.podVolumeBackups} PodVolumeBackups, ` +
      `${d.expected.schedules} Schedules, ${d.expected.storageLocations} BackupStorageLocation. ` +
      `Entity: ${d.target} (${r.answers.namespaced.volumes} volumes, ${r.answers.namespaced.backups} backups, ` +
      `${Math.round(r.answers.namespaced.bytes / 1024)} KiB JSON).`,
    '',
  );

  // Results before the per-entity goals had one goal for both.
  const verdict = (p95: number, goal: number = r.goal.p95Ms) =>
    p95 < goal ? `p95 < ${goal} ms: **met**` : `p95 < ${goal} ms: **NOT met**`;
  out.push(
    '| request | n | p50 ms | p95 ms | p99 ms | max ms | |',
    '|---|---:|---:|---:|---:|---:|---|',
    latencyRow(
      'storage endpoint, entity with namespace annotation',
      r.latency.namespaced,
      verdict(r.latency.namespaced.p95Ms, r.goal.namespacedP95Ms),
    ),
    latencyRow(
      'storage endpoint, entity without namespace (all namespaces)',
      r.latency.allNamespaces,
      verdict(r.latency.allNamespaces.p95Ms, r.goal.allNamespacesP95Ms),
    ),
    latencyRow(
      'in-process `getEntityStorage` + JSON, with namespace',
      r.inProcess.namespaced,
      'no HTTP, catalog or permission',
    ),
    latencyRow(
      'in-process `getEntityStorage` + JSON, all namespaces',
      r.inProcess.allNamespaces,
      'no HTTP, catalog or permission',
    ),
    latencyRow(
      'reference: Kubernetes plugin `custom/query` PVCs, with namespace',
      r.reference.namespaced,
      `${r.reference.namespaced.pvcs} PVCs, live list`,
    ),
    latencyRow(
      'reference: Kubernetes plugin `custom/query` PVCs, all namespaces',
      r.reference.allNamespaces,
      `${r.reference.allNamespaces.pvcs} PVCs, live list`,
    ),
    '',
  );

  const rt = r.behindRoundTrip;
  if (rt) {
    const ratio = (ours: any, ref: any) =>
      `${(ref.p95Ms / ours.p95Ms).toFixed(1)}× lower`;
    out.push(
      `Behind an added ${
        rt.roundTripMs
      } ms round trip (bench/src/delayProxy.ts), a fresh backend: cold sync ${s(
        rt.coldSyncMs,
      )}.`,
      '',
      '| request | n | p50 ms | p95 ms | p99 ms | max ms | |',
      '|---|---:|---:|---:|---:|---:|---|',
      latencyRow(
        'storage endpoint, with namespace',
        rt.latency.namespaced,
        `p95 ${ratio(rt.latency.namespaced, rt.reference.namespaced)}`,
      ),
      latencyRow(
        'storage endpoint, all namespaces',
        rt.latency.allNamespaces,
        `p95 ${ratio(rt.latency.allNamespaces, rt.reference.allNamespaces)}`,
      ),
      latencyRow(
        'reference: `custom/query` PVCs, with namespace',
        rt.reference.namespaced,
        'live list',
      ),
      latencyRow(
        'reference: `custom/query` PVCs, all namespaces',
        rt.reference.allNamespaces,
        'live list',
      ),
      '',
    );
  }

  const mem = r.memory;
  const c = mem.standaloneCache;
  const slowest = Object.entries(c.listMs as Record<string, number>).sort(
    (a, b) => b[1] - a[1],
  )[0];
  out.push(
    '| measure | value |',
    '|---|---:|',
    `| cold sync (backend start → complete answer for the entity${
      r.clusters > 1 ? `, all ${r.clusters} clusters` : ''
    }) | ${s(r.coldSync.ms)} |`,
    ...(r.coldSync.rssPeakMiB
      ? [`| … RSS peak during it | ${r.coldSync.rssPeakMiB} MiB |`]
      : []),
    `| … CPU of the backend process during it | ${s(
      r.coldSync.processCpuMs,
    )} |`,
    ...(r.coldSync.apiserverWarmupMs === null
      ? []
      : [
          `| … not counted: apiserver warm-up just before (one full list of each collection${
            r.load?.skipped ? ', first after the lab started' : ''
          }) | ${s(r.coldSync.apiserverWarmupMs)} |`,
        ]),
    `| … a second sync, ClusterCache alone, later in the run (slowest list: ${
      slowest[0]
    }) | ${s(c.syncMs)} |`,
    `| cache heap (standalone ClusterCache${
      r.clusters > 1 ? ` × ${r.clusters}` : ''
    }, ${c.objects} objects kept) | ${c.heapDeltaMiB} MiB (${
      c.bytesPerObject
    } B/object kept) |`,
    ...(c.objectsWatched
      ? [
          `| … per object of the watched kinds in the cluster${
            r.clusters > 1 ? 's' : ''
          } (${c.objectsWatched}; pods without a claim are not kept) | ${
            c.bytesPerWatchedObject
          } B/object |`,
        ]
      : []),
    `| backend heap after GC, minus baseline (both plugins + caches) | ${mem.backendHeapDeltaMiB} MiB |`,
    `| heapUsed: baseline → caches filled | ${mem.baseline.heapUsedMiB} → ${mem.cachesFilled.heapUsedMiB} MiB |`,
    `| RSS: baseline → caches filled | ${mem.baseline.rssMiB} → ${mem.cachesFilled.rssMiB} MiB |`,
  );
  const loads: any[] = (r.loads ?? [r.load]).filter(Boolean);
  for (const [i, l] of loads.entries()) {
    out.push(
      `| dataset load${loads.length > 1 ? `, cluster ${i + 1}` : ''} (${
        l.skipped ? `earlier run, ${l.loadedAt}` : 'this run'
      }; ${l.concurrency} in flight) | ` +
        `${s(l.loadSeconds * 1000)}: ${l.objects} objects, ${Math.round(
          l.objectsPerSecond,
        )} objects/s, ` +
        `${l.requests} requests, ${Math.round(
          l.requestsPerSecond,
        )} requests/s |`,
    );
  }
  out.push('');

  out.push(
    'Hottest functions (self time) while serving 200 requests for each entity, profiler on:',
    '',
  );
  for (const [name, p] of Object.entries(r.profiles as Record<string, any>)) {
    const top = p.top
      .filter((f: any) => !['(idle)', '(program)'].includes(f.function))
      .slice(0, 6)
      .map(
        (f: any) =>
          `${f.function} (${f.location.replace(/^.*\//, '')}) ${
            f.selfPercent
          }%`,
      )
      .join(', ');
    out.push(`- ${name}: ${top}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
