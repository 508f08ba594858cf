import {
  AlertConcern,
  StorageAlert,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';

/** What an alert is about, in the words of the tab. */
export function concernText(concern: AlertConcern, cluster: string): string {
  switch (concern.kind) {
    case 'volume':
      return `volume ${concern.namespace}/${concern.name}`;
    case 'storage-location':
      return `backup storage location ${concern.name} (cluster ${cluster})`;
    case 'schedule':
      return `backup schedule ${concern.name}`;
    case 'entity':
      return 'this entity';
    default:
      return `Velero in cluster ${cluster}`;
  }
}

/**
 * The alerts to show beside a volume: about the volume itself, or about a
 * storage location its backups are kept in (its restores depend on it).
 */
export function alertsOfVolume(
  alerts: StorageAlert[] | undefined,
  volume: VolumeStatus,
): StorageAlert[] {
  const locations = new Set(volume.backups.map(b => b.storageLocation));
  return (alerts ?? []).filter(
    ({ concerns }) =>
      (concerns.kind === 'volume' &&
        concerns.namespace === volume.namespace &&
        concerns.name === volume.name) ||
      (concerns.kind === 'storage-location' && locations.has(concerns.name)),
  );
}
