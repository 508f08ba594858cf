import {
  PostgresArchiveStatus,
  PostgresClusterStatus,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';

/** The Barman Cloud plugin, as a CloudNativePG Cluster names it. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';

/**
 * The label CloudNativePG puts on each claim it makes for a cluster: the
 * cluster's name.
 */
export const CNPG_CLUSTER_LABEL = 'cnpg.io/cluster';

/** Every list of PVCs CloudNativePG keeps in a Cluster's status. */
const PVC_LISTS = [
  'healthyPVC',
  'initializingPVC',
  'resizingPVC',
  'danglingPVC',
  'unusablePVC',
] as const;

/**
 * The CloudNativePG Clusters of one namespace whose volumes are among the
 * entity's (CloudNativePG lists each cluster's PVCs in its status), with
 * their WAL archive from the namespace's ObjectStores. The entity's volumes
 * are already limited to what its owner may see, so a cluster is shown only
 * where its data is.
 */
export function cnpgClustersOf(
  namespace: string,
  clusters: any[],
  objectStores: any[],
  volumes: VolumeStatus[],
): PostgresClusterStatus[] {
  const claims = new Set(
    volumes.filter(v => v.namespace === namespace).map(v => v.name),
  );
  return clusters
    .map(cluster => ({ cluster, pvcs: pvcsOf(cluster) }))
    .filter(({ pvcs }) => pvcs.some(pvc => claims.has(pvc)))
    .map(({ cluster, pvcs }) => {
      const { spec = {}, status = {} } = cluster;
      return {
        namespace,
        name: cluster.metadata.name as string,
        instances: spec.instances ?? 0,
        readyInstances: status.readyInstances ?? 0,
        phase: status.phase,
        phaseReason: status.phaseReason,
        currentPrimary: status.currentPrimary,
        storageClass: spec.storage?.storageClass,
        claims: pvcs,
        replicaOf: replicaOf(cluster),
        archive: archiveOf(cluster, objectStores),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The cluster's claims in every list of its status, once each, sorted. */
function pvcsOf(cluster: any): string[] {
  const lists = PVC_LISTS.flatMap<string>(list => cluster.status?.[list] ?? []);
  return [...new Set(lists)].sort();
}

/**
 * The cluster a replica cluster follows, or undefined for a primary. In the
 * distributed topology a cluster follows unless it is the primary named
 * (`self` defaults to its own name).
 */
export function replicaOf(cluster: any): string | undefined {
  const replica = cluster.spec?.replica ?? {};
  const follows =
    replica.enabled === true ||
    (replica.primary !== undefined &&
      replica.primary !== (replica.self ?? cluster.metadata.name));
  return follows ? replica.primary ?? replica.source : undefined;
}

/** The cluster's WAL archive, when the Barman Cloud plugin archives it. */
function archiveOf(
  cluster: any,
  objectStores: any[],
): PostgresArchiveStatus | undefined {
  const plugin = (cluster.spec?.plugins ?? []).find(
    (p: any) =>
      p.name === BARMAN_CLOUD_PLUGIN &&
      p.enabled !== false &&
      p.isWALArchiver === true,
  );
  const objectStore: string | undefined = plugin?.parameters?.barmanObjectName;
  if (!objectStore) return undefined;
  // The plugin's folder in the store defaults to the cluster's name.
  const serverName: string =
    plugin.parameters.serverName ?? cluster.metadata.name;
  const window = objectStores.find(o => o.metadata.name === objectStore)?.status
    ?.serverRecoveryWindow?.[serverName];
  const condition = (cluster.status?.conditions ?? []).find(
    (c: any) => c.type === 'ContinuousArchiving',
  );
  return {
    objectStore,
    serverName,
    archiving: condition && {
      ok: condition.status === 'True',
      message: condition.message || undefined,
      since: condition.lastTransitionTime,
    },
    firstRecoverabilityPoint: window?.firstRecoverabilityPoint,
    lastSuccessfulBackup: window?.lastSuccessfulBackupTime,
    lastFailedBackup: window?.lastFailedBackupTime,
  };
}
