import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  ClusterStorage,
  EntityStorage,
  PostgresMigrationPlan,
} from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCaches } from '../kubernetes/ClusterCaches';
import {
  getJson,
  KubernetesRequestError,
} from '../kubernetes/kubernetesRequest';
import { cnpgClustersOf } from './cnpgClusters';
import { planCnpgMigration } from './cnpgMigrationPlan';

const CNPG_CLUSTERS = (namespace: string) =>
  `/apis/postgresql.cnpg.io/v1/namespaces/${namespace}/clusters`;
const OBJECT_STORES = (namespace: string) =>
  `/apis/barmancloud.cnpg.io/v1/namespaces/${namespace}/objectstores`;

const NOT_SERVED_MS = 60_000;

/**
 * Adds to each cluster of an entity's storage its CloudNativePG clusters
 * and their WAL archives, read from the API server when asked (in the
 * entity's attributed namespaces only, those with its volumes). Optional:
 * where CloudNativePG's API is not served the cluster gets none; one that
 * cannot be read gets an error entry, and the rest of the answer stands.
 */
export class EntityDatabases {
  /** Cluster → until when CloudNativePG's API is taken as not served. */
  private readonly notServedUntil = new Map<string, number>();

  constructor(
    private readonly clusters: ClusterCaches,
    private readonly now: () => number = Date.now,
  ) {}

  async withDatabases(storage: EntityStorage): Promise<EntityStorage> {
    const clusters = await Promise.all(
      storage.clusters.map(cluster => this.forCluster(cluster)),
    );
    return { ...storage, clusters };
  }

  /**
   * The proposal for moving one of the entity's CloudNativePG Clusters onto
   * an OpenEBS class of its cluster. The Cluster must be the entity's by
   * the tab's rule (its PVCs among the entity's volumes, which tenancy has
   * narrowed): naming another team's Cluster is refused.
   */
  async migrationPlan(
    storage: EntityStorage,
    request: {
      cluster: string;
      namespace: string;
      name: string;
      targetClass: string;
      newName?: string;
    },
  ): Promise<PostgresMigrationPlan> {
    const { cluster, namespace, name, targetClass, newName } = request;
    const clusterStorage = storage.clusters.find(c => c.cluster === cluster);
    const cache = this.clusters.find(cluster);
    if (!clusterStorage || !cache) {
      throw new NotFoundError(
        `${storage.entityRef} has nothing on cluster ${cluster}`,
      );
    }
    const notTheEntitys = new NotAllowedError(
      `Cluster ${namespace}/${name} is not ${storage.entityRef}'s: none of its volumes is the entity's`,
    );
    // Another owner's namespace is not even looked into: whether such a
    // Cluster exists there is not the requester's to learn.
    if (!clusterStorage.volumes.some(v => v.namespace === namespace)) {
      throw notTheEntitys;
    }
    let existing: any;
    try {
      existing = await getJson(
        cache.kubeConfig,
        `${CNPG_CLUSTERS(namespace)}/${name}`,
      );
    } catch (error) {
      if (error instanceof KubernetesRequestError && error.statusCode === 404) {
        throw new NotFoundError(
          `No CloudNativePG Cluster ${namespace}/${name} on cluster ${cluster}`,
        );
      }
      throw error;
    }
    if (
      cnpgClustersOf(namespace, [existing], [], clusterStorage.volumes)
        .length === 0
    ) {
      throw notTheEntitys;
    }
    const targets = clusterStorage.migrationTargets ?? [];
    if (!targets.includes(targetClass)) {
      throw new InputError(
        `${targetClass} is not an OpenEBS class of cluster ${cluster} (${
          targets.join(', ') || 'none'
        })`,
      );
    }
    if (existing.spec?.storage?.storageClass === targetClass) {
      throw new InputError(
        `Cluster ${namespace}/${name} is already on ${targetClass}`,
      );
    }
    return planCnpgMigration(existing, {
      storageClass: targetClass,
      name: newName,
    });
  }

  private async forCluster(cluster: ClusterStorage): Promise<ClusterStorage> {
    const cache = this.clusters.find(cluster.cluster);
    const namespaces = [...new Set(cluster.volumes.map(v => v.namespace))];
    if (!cache || namespaces.length === 0) return cluster;
    // Most clusters have no CloudNativePG: a tab opened there asks the API
    // server again once a minute at most, not once per namespace per view.
    if ((this.notServedUntil.get(cluster.cluster) ?? 0) > this.now()) {
      return cluster;
    }
    try {
      const perNamespace = await Promise.all(
        namespaces.map(async namespace => {
          const clusters = await listOrNone(
            cache.kubeConfig,
            CNPG_CLUSTERS(namespace),
          );
          if (clusters === undefined) return undefined;
          // No store (or no plugin installed): clusters without a window.
          const stores =
            clusters.length === 0
              ? []
              : (await listOrNone(
                  cache.kubeConfig,
                  OBJECT_STORES(namespace),
                )) ?? [];
          return cnpgClustersOf(namespace, clusters, stores, cluster.volumes);
        }),
      );
      // CloudNativePG's API not served: not a database cluster.
      if (perNamespace.every(found => found === undefined)) {
        this.notServedUntil.set(cluster.cluster, this.now() + NOT_SERVED_MS);
        return cluster;
      }
      return {
        ...cluster,
        databases: perNamespace.flatMap(found => found ?? []),
      };
    } catch (error) {
      const forbidden =
        error instanceof KubernetesRequestError && error.statusCode === 403;
      return {
        ...cluster,
        errors: [
          ...cluster.errors,
          {
            reason: forbidden ? 'forbidden' : 'error',
            resource: 'CloudNativePG clusters and object stores',
            message: `The CloudNativePG clusters of cluster ${
              cluster.cluster
            } could not be read${
              forbidden
                ? ' (the portal may list clusters.postgresql.cnpg.io and objectstores.barmancloud.cnpg.io)'
                : ''
            }: ${(error as Error).message}`,
          },
        ],
      };
    }
  }
}

/** The list's items; undefined when the API server does not serve the kind. */
async function listOrNone(
  kubeConfig: Parameters<typeof getJson>[0],
  path: string,
): Promise<any[] | undefined> {
  try {
    return (await getJson<{ items: any[] }>(kubeConfig, path)).items;
  } catch (error) {
    if (error instanceof KubernetesRequestError && error.statusCode === 404) {
      return undefined;
    }
    throw error;
  }
}
