import { InputError } from '@backstage/errors';
import { KUBERNETES_ANNOTATIONS } from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from './ClusterCache';

/**
 * The caches of every configured cluster, found by name: the one place that
 * knows which clusters exist and what to answer for one that does not.
 */
export class ClusterCaches {
  private readonly byName: Map<string, ClusterCache>;

  constructor(caches: ClusterCache[]) {
    this.byName = new Map(caches.map(cache => [cache.name, cache]));
  }

  all(): ClusterCache[] {
    return Array.from(this.byName.values());
  }

  /** The named cluster's cache, or undefined (e.g. a request recorded before a config change). */
  find(name: string): ClusterCache | undefined {
    return this.byName.get(name);
  }

  /** The named cluster's cache; a name nobody configured is the caller's mistake. */
  get(name: string): ClusterCache {
    const cache = this.byName.get(name);
    if (!cache) {
      throw new InputError(`Cluster ${name} is not configured`);
    }
    return cache;
  }

  /**
   * The clusters an entity maps to: the one its cluster annotation names,
   * or all of them.
   */
  forEntity(entityRef: string, cluster: string | undefined): ClusterCache[] {
    if (!cluster) return this.all();
    const cache = this.byName.get(cluster);
    if (!cache) {
      throw new InputError(
        `Entity ${entityRef} names cluster "${cluster}" in ${KUBERNETES_ANNOTATIONS.cluster}, which is not configured in kubernetes.clusterLocatorMethods`,
      );
    }
    return [cache];
  }
}
