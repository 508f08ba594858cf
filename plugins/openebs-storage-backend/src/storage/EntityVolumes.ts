import { ClusterCache } from '../kubernetes/ClusterCache';
import { ClaimRecord, PodRecord } from '../kubernetes/records';
import { EntityObjectSelection } from '../entities/entityObjectSelection';
import { matchesLabels } from '../entities/labelSelector';

export interface EntityClaims {
  claims: ClaimRecord[];
  namespaces: string[];
}

/**
 * Finds an entity's PersistentVolumeClaims in one cluster: the claims its
 * pods mount (StatefulSet claims often lack the entity's labels) and the
 * claims that carry its labels themselves.
 */
export function findEntityClaims(
  cache: ClusterCache,
  selection: EntityObjectSelection,
): EntityClaims {
  const { pods, claims } = cache.reflectors;
  const inScope = <T>(store: {
    byIndex(i: string, k: string): T[];
    values(): IterableIterator<T>;
  }) =>
    selection.namespace
      ? store.byIndex('namespace', selection.namespace)
      : Array.from(store.values());

  const found = new Map<string, ClaimRecord>();
  const namespaces = new Set<string>();
  if (selection.namespace) namespaces.add(selection.namespace);

  for (const pod of inScope<PodRecord>(pods.store)) {
    if (!matchesLabels(selection.selector, pod.labels)) continue;
    namespaces.add(pod.namespace);
    for (const claimName of pod.claimNames) {
      for (const claim of claims.store.byIndex(
        'name',
        `${pod.namespace}/${claimName}`,
      )) {
        found.set(claim.uid, claim);
      }
    }
  }
  for (const claim of inScope<ClaimRecord>(claims.store)) {
    if (matchesLabels(selection.selector, claim.labels)) {
      found.set(claim.uid, claim);
    }
  }
  for (const claim of found.values()) namespaces.add(claim.namespace);

  return {
    claims: Array.from(found.values()).sort((a, b) =>
      `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
    ),
    namespaces: Array.from(namespaces).sort(),
  };
}

/** Every pod that mounts the claim, whatever its labels. */
export function podsMounting(
  cache: ClusterCache,
  claim: Pick<ClaimRecord, 'namespace' | 'name'>,
): PodRecord[] {
  return cache.reflectors.pods.store.byIndex(
    'claim',
    `${claim.namespace}/${claim.name}`,
  );
}

/**
 * Claims of the entity's namespaces that Velero backed up and that no longer
 * exist: deleted with their workload, and restorable in place.
 */
export function findDeletedClaims(
  cache: ClusterCache,
  namespaces: string[],
): ClaimRecord[] {
  const { podVolumeBackups, dataUploads, claims } = cache.reflectors;
  const deleted = new Map<string, ClaimRecord>();
  for (const namespace of namespaces) {
    for (const record of [
      ...podVolumeBackups.store.byIndex('claimNamespace', namespace),
      ...dataUploads.store.byIndex('claimNamespace', namespace),
    ]) {
      const key = `${namespace}/${record.claimName}`;
      if (!record.claimName || deleted.has(key)) continue;
      if (claims.store.byIndex('name', key).length > 0) continue;
      deleted.set(key, {
        uid: record.claimUid ?? key,
        namespace,
        name: record.claimName,
        labels: {},
        phase: 'Deleted',
      });
    }
  }
  return Array.from(deleted.values()).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
}
