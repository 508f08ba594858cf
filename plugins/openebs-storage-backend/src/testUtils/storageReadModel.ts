import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ClusterError,
  DEFAULT_SERVICE_LEVELS,
  EntityStorage,
} from '@openebs-portal/plugin-openebs-storage-common';
import { DEFAULT_OWNER_ANNOTATION } from '../config';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { ClusterCaches } from '../kubernetes/ClusterCaches';
import { resourceKinds } from '../kubernetes/resources';
import { EntityStorageService } from '../storage/EntityStorageService';
import { NamespaceOwnership } from '../tenancy/NamespaceOwnership';
import { AnnotationNamespaceTenancy } from '../tenancy/NamespaceTenancy';

/**
 * Which cluster the read model watches, and how.
 *
 * @public
 */
export interface StorageReadModelOptions {
  /** The cluster as the Kubernetes plugin's config would name it. */
  cluster: {
    name: string;
    url: string;
    serviceAccountToken: string;
    caData?: string;
  };
  /** Where Velero runs; `velero` by default, as in the plugin's config. */
  veleroNamespace?: string;
  /** Receives the caches' warnings (a relist, a retry). */
  logger: LoggerService;
}

/**
 * One cluster's read model as the plugin builds it, with the plugin's
 * default tenancy (the owner annotation on the Namespace) and service levels.
 *
 * @public
 */
export interface StorageReadModel {
  /** The API collections the caches list and watch. */
  readonly collections: string[];
  /**
   * Lists every collection once and starts watching; resolves with the
   * milliseconds each collection took to be listed, from the call.
   */
  start(): Promise<Record<string, number>>;
  /** Stops every watch; the caches keep what they hold. */
  stop(): void;
  /** Why the caches are incomplete, if they are. */
  errors(): ClusterError[];
  /** Objects held per collection. */
  objectCounts(): Record<string, number>;
  /** What the Storage tab's request answers for the entity, in-process. */
  getEntityStorage(entity: Entity): Promise<EntityStorage>;
}

/**
 * The API collections the read model lists and watches.
 *
 * @public
 */
export function storageReadModelCollections(veleroNamespace = 'velero') {
  return Object.values(resourceKinds(veleroNamespace)).map(kind => kind.path);
}

/**
 * Builds the read model; nothing is listed until `start()`.
 *
 * @public
 */
export function createStorageReadModel(
  options: StorageReadModelOptions,
): StorageReadModel {
  const veleroNamespace = options.veleroNamespace ?? 'velero';
  const cache = new ClusterCache(
    { ...options.cluster, skipTLSVerify: false },
    veleroNamespace,
    options.logger,
  );
  const service = new EntityStorageService({
    clusters: new ClusterCaches([cache]),
    serviceLevels: DEFAULT_SERVICE_LEVELS,
    ownership: new NamespaceOwnership(
      new AnnotationNamespaceTenancy(DEFAULT_OWNER_ANNOTATION),
    ),
  });
  const reflectors = Object.entries(cache.reflectors);
  return {
    collections: storageReadModelCollections(veleroNamespace),
    async start() {
      // ClusterCache.start() is Promise.all over the reflectors; they are
      // started one by one here (still concurrently) to time each list.
      const started = process.hrtime.bigint();
      const listMs: Record<string, number> = {};
      await Promise.all(
        reflectors.map(async ([key, reflector]) => {
          await reflector.start();
          listMs[key] = Math.round(
            Number(process.hrtime.bigint() - started) / 1e6,
          );
        }),
      );
      return listMs;
    },
    stop: () => cache.stop(),
    errors: () => cache.errors(),
    objectCounts: () =>
      Object.fromEntries(reflectors.map(([key, r]) => [key, r.store.size])),
    getEntityStorage: entity => service.getEntityStorage(entity),
  };
}
