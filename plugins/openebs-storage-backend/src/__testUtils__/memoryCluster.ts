import { ClusterCache } from '../kubernetes/ClusterCache';
import { IndexedStore } from '../kubernetes/IndexedStore';
import { resourceKinds } from '../kubernetes/resources';
import {
  mirrorObject,
  ReflectorStatus,
  ResourceKind,
} from '../kubernetes/ResourceReflector';

/*
 * A ClusterCache without a cluster, for unit tests: the same kinds, stores,
 * indexes and projections as the real one, filled from raw manifests (such
 * as the lab test kit's fixtures) instead of by watches. Its readiness
 * checks are ClusterCache's own.
 */

type Kinds = ReturnType<typeof resourceKinds>;
export type KindName = keyof Kinds;
type RecordOf<K extends KindName> = Kinds[K] extends {
  project(raw: any): infer T;
}
  ? T
  : never;

/** What a request reads of a reflector; the status can be set by a test. */
export interface MemoryReflector<T> {
  label: string;
  store: IndexedStore<T>;
  status: ReflectorStatus;
}

export type MemoryReflectors = {
  [K in KindName]: MemoryReflector<RecordOf<K>>;
};

/** Which store a manifest goes to, by its `kind`. */
const KIND_BY_MANIFEST_KIND: Record<string, KindName> = {
  Namespace: 'namespaces',
  Node: 'nodes',
  Pod: 'pods',
  PersistentVolumeClaim: 'claims',
  PersistentVolume: 'volumes',
  StorageClass: 'storageClasses',
  VolumeSnapshotClass: 'snapshotClasses',
  VolumeSnapshot: 'snapshots',
  Backup: 'backups',
  PodVolumeBackup: 'podVolumeBackups',
  DataUpload: 'dataUploads',
  Schedule: 'schedules',
  BackupStorageLocation: 'storageLocations',
  Restore: 'restores',
  PodVolumeRestore: 'podVolumeRestores',
  DataDownload: 'dataDownloads',
};

export interface MemoryCluster {
  /** Stands in for a ClusterCache wherever one is read (never started). */
  cache: ClusterCache;
  reflectors: MemoryReflectors;
  /** Adds or replaces objects, from raw manifests. */
  add(...manifests: any[]): void;
  /** Removes an object by manifest kind and `namespace/name` (or `name`). */
  remove(manifestKind: string, id: string): void;
}

function storeOf(reflectors: MemoryReflectors, manifest: any) {
  const kindName = KIND_BY_MANIFEST_KIND[manifest?.kind];
  if (!kindName) {
    throw new Error(`memoryCluster: no store for kind ${manifest?.kind}`);
  }
  return reflectors[kindName] as MemoryReflector<any>;
}

/** A uid that stays the same for the same object, as the API server's would. */
function uidOf(manifest: any): string {
  const { namespace, name, uid } = manifest.metadata ?? {};
  return uid ?? `${manifest.kind}/${namespace ?? ''}/${name}`;
}

/**
 * A synced in-memory cluster holding the given manifests. Test helper only:
 * nothing here talks to a cluster.
 */
export function memoryCluster(
  manifests: any[] = [],
  options: { name?: string; veleroNamespace?: string } = {},
): MemoryCluster {
  const kinds = resourceKinds(options.veleroNamespace ?? 'velero');
  const reflectors = Object.fromEntries(
    Object.entries(kinds).map(([key, kind]) => [
      key,
      {
        label: kind.label,
        store: new IndexedStore<any>(kind.indexes as any),
        status: { synced: true },
      },
    ]),
  ) as unknown as MemoryReflectors;

  // ClusterCache's own methods (name, errors, volumesReadable, …) over the
  // in-memory reflectors; its constructor, which starts nothing but builds
  // real reflectors, is skipped.
  const cache = Object.create(ClusterCache.prototype) as ClusterCache;
  Object.assign(cache, {
    cluster: {
      name: options.name ?? 'lab',
      url: 'http://memory.invalid',
      skipTLSVerify: false,
    },
    reflectors,
  });

  const add = (...more: any[]) => {
    for (const manifest of more) {
      if (!manifest) continue;
      const kindName = KIND_BY_MANIFEST_KIND[manifest.kind];
      const raw = {
        ...manifest,
        metadata: { ...manifest.metadata, uid: uidOf(manifest) },
      };
      mirrorObject(
        storeOf(reflectors, manifest).store,
        kinds[kindName] as ResourceKind<unknown>,
        raw,
      );
    }
  };

  const remove = (manifestKind: string, id: string) => {
    const [namespace, name] = id.includes('/')
      ? id.split('/')
      : [undefined, id];
    storeOf(reflectors, { kind: manifestKind }).store.remove(
      uidOf({ kind: manifestKind, metadata: { namespace, name } }),
    );
  };

  add(...manifests);
  return { cache, reflectors, add, remove };
}
