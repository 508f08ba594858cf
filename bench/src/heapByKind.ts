/*
 * Where the cache's heap goes, kind by kind, without a cluster:
 *
 *   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs bench/src/heapByKind.ts
 *
 * The bench dataset's objects are given what the apiserver would add (uid,
 * creationTimestamp, resourceVersion), serialised as they arrive on the wire,
 * then parsed and mirrored into one store per kind exactly as the reflector
 * does. The heap growth of each store over its kept objects is printed.
 * KINDS=backups,pods limits the kinds; DROP=startedAt,completedAt leaves
 * those fields out of every record, to see what they cost.
 * Numbers are approximate (the collector runs between kinds, not inside V8's
 * accounting), good for finding the largest costs, not for the goal itself,
 * which measure.ts reports from the real cache.
 */
import { randomUUID } from 'crypto';
import { resourceKinds } from '../../plugins/openebs-storage-backend/src/kubernetes/resources';
import { mirrorObject } from '../../plugins/openebs-storage-backend/src/kubernetes/ResourceReflector';
import { IndexedStore } from '../../plugins/openebs-storage-backend/src/kubernetes/IndexedStore';
import { DATASET, backupsOf, claimsOf, namespaces, podsOf } from './dataset';

const gc: (() => void) | undefined = (global as any).gc;
if (!gc) throw new Error('Run node with --expose-gc');

function settledHeap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

/** What the apiserver adds; timestamps to the second, as Kubernetes writes them. */
function asStored(raw: any): any {
  raw.metadata.uid = randomUUID();
  raw.metadata.resourceVersion = String(
    1_000_000 + Math.floor(Math.random() * 9e6),
  );
  raw.metadata.creationTimestamp = new Date(Date.now() - Math.random() * 1e9)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
  return raw;
}

function wireObjects(): Record<string, string[]> {
  const wire: Record<string, string[]> = {
    namespaces: namespaces().map(ns => JSON.stringify(asStored(ns))),
    claims: [],
    volumes: [],
    backups: [],
    podVolumeBackups: [],
    pods: [],
  };
  for (let i = 0; i < DATASET.namespaces; i++) {
    for (const pod of podsOf(i)) wire.pods.push(JSON.stringify(asStored(pod)));
    for (const spec of claimsOf(i)) {
      const claim = asStored(spec.claim);
      wire.claims.push(JSON.stringify(claim));
      wire.volumes.push(JSON.stringify(asStored(spec.volume)));
      for (const { backup, podVolumeBackup } of backupsOf(
        spec,
        claim.metadata.uid,
      )) {
        const stored = asStored(backup);
        wire.backups.push(JSON.stringify(stored));
        wire.podVolumeBackups.push(
          JSON.stringify(asStored(podVolumeBackup(stored.metadata.uid))),
        );
      }
    }
  }
  return wire;
}

function withoutFields(kind: any, fields: string[]): any {
  if (!fields.length) return kind;
  return {
    ...kind,
    project: (raw: any) => {
      const record = kind.project(raw);
      // Not `delete`: that turns the record into a slower, larger dictionary.
      for (const field of fields) record[field] = undefined;
      return record;
    },
  };
}

function main() {
  const wire = wireObjects();
  const kinds: Record<string, any> = resourceKinds('velero');
  // Parse and project everything once first, so that what V8 keeps after a
  // first run (compiled code, inline caches, its string table) is not
  // counted as the first kind's cost.
  for (const [name, lines] of Object.entries(wire)) {
    const warmUp = resourceKinds('velero') as Record<string, any>;
    const store = new IndexedStore<unknown>(warmUp[name].indexes);
    for (const line of lines)
      mirrorObject(store, warmUp[name], JSON.parse(line));
  }
  const stores: IndexedStore<unknown>[] = []; // kept alive while measuring
  const only = process.env.KINDS?.split(',');
  // DROP=startedAt,completedAt: what those fields cost, by leaving them out.
  const drop = process.env.DROP?.split(',') ?? [];
  for (const [name, lines] of Object.entries(wire)) {
    if (only && !only.includes(name)) continue;
    const kind = withoutFields(kinds[name], drop);
    const before = settledHeap();
    const store = new IndexedStore<unknown>(kind.indexes);
    for (const line of lines) mirrorObject(store, kind, JSON.parse(line));
    stores.push(store);
    const grown = settledHeap() - before;
    console.log(
      `${name}: ${store.size} kept of ${lines.length}, ${Math.round(
        grown / Math.max(store.size, 1),
      )} B per kept object`,
    );
  }
}

main();
