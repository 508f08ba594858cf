import {
  BackupRecord,
  ClaimRecord,
  PodRecord,
  VolumeRecord,
} from '../kubernetes/records';
import { VELERO_ANNOTATIONS } from '../kubernetes/velero';

/**
 * Why Velero's newest run holds no copy of a claim, said as what happened.
 *
 * Velero records no object for a volume it skips, so the reason is read from
 * what it skips on: a hostPath volume, a pod volume opted out by annotation,
 * no running pod mounting the claim. The checks look at the objects as they
 * are now; when none of them explains it, the sentence says that the pod may
 * not have been running at the time.
 */
export function skippedVolumeReason(options: {
  claim: ClaimRecord;
  run: BackupRecord;
  pods: PodRecord[];
  volume?: VolumeRecord;
}): string {
  const { claim, run, pods, volume } = options;
  const which = `Newest backup ${run.name}${
    run.scheduleName ? ` (schedule ${run.scheduleName})` : ''
  } holds no copy of this volume`;
  return `${which}: ${cause(claim, pods, volume)}`;
}

function cause(
  claim: ClaimRecord,
  pods: PodRecord[],
  volume: VolumeRecord | undefined,
): string {
  if (volume?.hostPath) {
    return `its PersistentVolume ${volume.name} is a hostPath volume, which Velero's file-system backup skips`;
  }
  for (const pod of pods) {
    const excluded = Object.entries(pod.claimByVolume)
      .filter(([, claimName]) => claimName === claim.name)
      .map(([podVolume]) => podVolume)
      .find(podVolume => pod.fsBackupExcludes?.includes(podVolume));
    if (excluded) {
      return `pod ${pod.name} opts its volume "${excluded}" out with the annotation ${VELERO_ANNOTATIONS.backupVolumesExcludes}`;
    }
  }
  if (pods.length === 0) {
    return "no pod mounts the claim, and Velero's file-system backup copies only volumes of running pods";
  }
  const notRunning = pods.filter(pod => pod.phase !== 'Running');
  if (notRunning.length === pods.length) {
    return `its pod ${notRunning[0].name} is ${
      notRunning[0].phase ?? 'not running'
    }, and Velero's file-system backup copies only volumes of running pods`;
  }
  return 'Velero recorded no PodVolumeBackup or DataUpload for it (was its pod running at the time?)';
}
