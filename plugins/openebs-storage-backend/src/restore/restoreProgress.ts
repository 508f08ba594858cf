import {
  RestoreState,
  RestoreVolumeProgress,
} from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { RestoreRecord, VolumeRestoreRecord } from '../kubernetes/records';
import { veleroLabelValue } from '../kubernetes/velero';
import { RestoreProgressUpdate } from './RestoreStore';

/*
 * How a Velero Restore stands, read from the caches: its phase as the
 * portal's state, and each volume's data coming back (PodVolumeRestores and
 * DataDownloads) under the claim it fills. The restore tracker and the
 * drills both read restores this way.
 */

function stateOf(phase: string): RestoreState {
  switch (phase) {
    case 'Completed':
      return 'completed';
    case 'PartiallyFailed':
      return 'partially-failed';
    case 'Failed':
    case 'FailedValidation':
      return 'failed';
    default:
      return 'in-progress';
  }
}

/** The Restore's progress as the tracker records it. */
export function restoreProgressOf(
  cache: ClusterCache,
  restore: RestoreRecord,
): RestoreProgressUpdate {
  const label = veleroLabelValue(restore.name);
  const records = [
    ...cache.reflectors.podVolumeRestores.store.byIndex('restore', label),
    ...cache.reflectors.dataDownloads.store.byIndex('restore', label),
  ];
  const state = stateOf(restore.phase);
  return {
    state,
    phase: restore.phase,
    warnings: restore.warnings,
    errors: restore.errors,
    startedAt: restore.startedAt,
    completedAt: restore.completedAt,
    failureReason:
      state === 'failed'
        ? restore.failureReason ?? `Velero reports the restore ${restore.phase}`
        : undefined,
    volumeProgress: records
      .map(record => volumeProgress(cache, record))
      .sort((a, b) => a.claimName.localeCompare(b.claimName)),
  };
}

function volumeProgress(
  cache: ClusterCache,
  record: VolumeRestoreRecord,
): RestoreVolumeProgress {
  const { pods, claims, volumes } = cache.reflectors;
  let namespace = record.claimNamespace;
  let claimName = record.claimName;
  if (!claimName && record.podNamespace && record.podName && record.podVolume) {
    // A PodVolumeRestore names the pod's volume; the pod names the claim.
    const [pod] = pods.store.byIndex(
      'name',
      `${record.podNamespace}/${record.podName}`,
    );
    namespace = record.podNamespace;
    claimName = pod?.claimByVolume[record.podVolume];
  }
  const [claim] = claimName
    ? claims.store.byIndex('name', `${namespace}/${claimName}`)
    : [];
  const [volume] = claim?.volumeName
    ? volumes.store.byIndex('name', claim.volumeName)
    : [];
  return {
    claimName:
      claimName ??
      `${record.podName ?? 'unknown'}/${record.podVolume ?? 'volume'}`,
    phase: record.phase,
    bytesDone: record.bytesDone,
    totalBytes: record.totalBytes,
    // The restored volume's node affinity is where the data now lives.
    node: volume?.node ?? record.node,
    message: record.message,
  };
}
