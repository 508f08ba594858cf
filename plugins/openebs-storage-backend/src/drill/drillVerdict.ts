import {
  DrillVolume,
  formatBytes,
} from '@openebs-portal/plugin-openebs-storage-common';

/**
 * Whether the data came back: every volume of the drill restored with as
 * many bytes as Velero backed up of it. Velero's own counters are compared
 * (the PodVolumeBackup's and the PodVolumeRestore's, or the DataUpload's and
 * the DataDownload's), so a restore that silently skipped a volume or
 * brought back part of it fails the drill.
 */
export function drillVerdict(volumes: DrillVolume[]): {
  state: 'passed' | 'failed';
  reason: string;
} {
  if (volumes.length === 0) {
    return {
      state: 'failed',
      reason: 'The backup holds no completed copy of any volume of the entity',
    };
  }
  const problems = volumes.flatMap(volume => {
    if (volume.bytesRestored === undefined) {
      return [`${volume.claim}: Velero restored no data for it`];
    }
    if (volume.bytesBackedUp === undefined) {
      return [`${volume.claim}: the backup does not say how much it copied`];
    }
    return volume.bytesRestored === volume.bytesBackedUp
      ? []
      : [
          `${volume.claim}: ${volume.bytesRestored} bytes restored of ${volume.bytesBackedUp} backed up`,
        ];
  });
  if (problems.length > 0) {
    return { state: 'failed', reason: problems.join('; ') };
  }
  const total = volumes.reduce((sum, v) => sum + (v.bytesRestored ?? 0), 0);
  return {
    state: 'passed',
    reason: `${volumes.length} volume${
      volumes.length === 1 ? '' : 's'
    }, ${formatBytes(total)} restored, equal to what the backup holds`,
  };
}
