import {
  DrillVolume,
  EntityStorage,
} from '@openebs-portal/plugin-openebs-storage-common';

/** What one drill restores: a namespace's volumes from one backup. */
export interface DrillTarget {
  cluster: string;
  namespace: string;
  backupName: string;
  /** The claims that backup holds good copies of, with the bytes copied. */
  volumes: DrillVolume[];
}

/**
 * The drill's target from what the tab would show: the namespace whose
 * newest good backup is the newest of the entity, and every live claim of
 * that namespace that backup holds a completed copy of. A drill proves the
 * backup people would restore from today, so deleted claims are left out.
 * `only`: a queued drill's own cluster and namespace.
 */
export function chooseDrillTarget(
  storage: EntityStorage,
  only?: { cluster: string; namespace: string },
): DrillTarget | { refusal: string } {
  const candidates = storage.clusters
    .filter(cluster => !only || cluster.cluster === only.cluster)
    .flatMap(cluster =>
      cluster.volumes
        .filter(
          volume =>
            volume.phase !== 'Deleted' &&
            volume.lastGoodBackup &&
            (!only || volume.namespace === only.namespace),
        )
        .map(volume => ({ cluster: cluster.cluster, volume })),
    );
  const newest = candidates.sort((a, b) =>
    (b.volume.lastGoodBackup!.startedAt ?? '').localeCompare(
      a.volume.lastGoodBackup!.startedAt ?? '',
    ),
  )[0];
  if (!newest) {
    // Volumes the read path withheld are not the entity's to drill either;
    // say so rather than leave owners wondering where they went.
    const withheld = storage.clusters.find(cluster => cluster.withheld)
      ?.withheld?.reason;
    return {
      refusal: `${storage.entityRef} has no volume with a good backup to drill${
        withheld ? `. ${withheld}` : ''
      }`,
    };
  }
  const backupName = newest.volume.lastGoodBackup!.backupName;
  const volumes = candidates
    .filter(
      ({ cluster, volume }) =>
        cluster === newest.cluster &&
        volume.namespace === newest.volume.namespace,
    )
    .flatMap(({ volume }) => {
      const copy = volume.backups.find(
        backup =>
          backup.backupName === backupName && backup.phase === 'Completed',
      );
      return copy
        ? [
            {
              claim: volume.name,
              bytesBackedUp: copy.totalBytes ?? copy.bytesDone,
            },
          ]
        : [];
    })
    .sort((a, b) => a.claim.localeCompare(b.claim));
  return {
    cluster: newest.cluster,
    namespace: newest.volume.namespace,
    backupName,
    volumes,
  };
}
