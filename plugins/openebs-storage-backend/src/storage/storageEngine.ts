import { StorageEngine } from '@openebs-portal/plugin-openebs-storage-common';
import { StorageClassRecord } from '../kubernetes/records';

export const PROVISIONERS = {
  localPv: 'openebs.io/local',
  lvm: 'local.csi.openebs.io',
  zfs: 'zfs.csi.openebs.io',
};

/**
 * The engine behind a StorageClass, from its provisioner. LocalPV hostpath and
 * (pre-4.x) device share the `openebs.io/local` provisioner and differ only in
 * the class's cas.openebs.io/config StorageType.
 */
export function storageEngineOf(
  storageClass: StorageClassRecord | undefined,
): StorageEngine {
  switch (storageClass?.provisioner) {
    case PROVISIONERS.localPv:
      return storageClass.casStorageType?.toLowerCase() === 'device'
        ? 'openebs-device'
        : 'openebs-hostpath';
    case PROVISIONERS.lvm:
      return 'openebs-lvm';
    case PROVISIONERS.zfs:
      return 'openebs-zfs';
    default:
      return 'other';
  }
}

/**
 * A class can be snapshotted only when it is a CSI driver and a
 * VolumeSnapshotClass exists for that driver. LocalPV hostpath is not a CSI
 * driver, so it never can: its volumes are protected by file-system backup.
 */
export function canSnapshot(
  storageClass: StorageClassRecord | undefined,
  snapshotClassDrivers: (driver: string) => boolean,
): boolean {
  if (!storageClass || storageClass.provisioner === PROVISIONERS.localPv) {
    return false;
  }
  return snapshotClassDrivers(storageClass.provisioner);
}

/**
 * Engines whose snapshots live in the node's own volume group or pool: they
 * are lost with the node, so they are no backup.
 */
export function isNodeLocal(engine: StorageEngine): boolean {
  return engine === 'openebs-lvm' || engine === 'openebs-zfs';
}
