import { RestoreContents } from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { BackupRecord, VolumeBackupRecord } from '../kubernetes/records';
import { LabelSelector, matchesLabels } from '../entities/labelSelector';
import { veleroLabelValue } from '../kubernetes/velero';

/** Whether a per-volume record (PodVolumeBackup, DataUpload) is part of a backup. */
export function isOfBackup(
  record: VolumeBackupRecord,
  backup: BackupRecord,
): boolean {
  return (
    record.backupName === backup.name ||
    record.backupLabel === veleroLabelValue(backup.name)
  );
}

/**
 * What a Restore of the entity's selector brings back from one namespace of
 * a backup: Velero restores every selected pod with the claims it mounts,
 * whichever volumes were ticked. Read from the backup's per-volume records; a
 * pod that still exists counts only if it carries the entity's labels, and a
 * pod that is gone counts (its labels are unknown here, and over-stating
 * what comes back is the safe side: in place, each listed claim must be
 * absent).
 */
export function restoreContents(
  cache: ClusterCache,
  backup: BackupRecord,
  namespace: string,
  selector: LabelSelector,
): RestoreContents {
  const { podVolumeBackups, dataUploads, pods } = cache.reflectors;
  const claims = new Set<string>();
  const workloads = new Set<string>();
  const selected = (podName: string) => {
    const [pod] = pods.store.byIndex('name', `${namespace}/${podName}`);
    if (!pod) return `Pod/${podName}`;
    if (!matchesLabels(selector, pod.labels)) return undefined;
    return pod.controller ?? `Pod/${podName}`;
  };
  for (const record of podVolumeBackups.store.byIndex(
    'claimNamespace',
    namespace,
  )) {
    if (!isOfBackup(record, backup) || !record.claimName || !record.podName)
      continue;
    const workload = selected(record.podName);
    if (!workload) continue;
    claims.add(record.claimName);
    workloads.add(workload);
  }
  for (const record of dataUploads.store.byIndex('claimNamespace', namespace)) {
    if (!isOfBackup(record, backup) || !record.claimName) continue;
    // A data-mover copy names its claim, not its pod: the pods mounting it now.
    const mounting = pods.store.byIndex(
      'claim',
      `${namespace}/${record.claimName}`,
    );
    const owners = mounting.map(pod => selected(pod.name));
    if (mounting.length > 0 && owners.every(owner => owner === undefined))
      continue;
    claims.add(record.claimName);
    for (const owner of owners) if (owner) workloads.add(owner);
  }
  return {
    claims: Array.from(claims).sort(),
    workloads: Array.from(workloads).sort(),
  };
}
