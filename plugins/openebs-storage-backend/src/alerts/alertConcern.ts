import {
  AlertConcern,
  ClusterStorage,
  StorageAlert,
} from '@openebs-portal/plugin-openebs-storage-common';
import { AlertmanagerAlert } from './AlertmanagerClient';

/** Alerts about Velero itself: every entity with backups on the cluster. */
const VELERO_WIDE = new Set([
  'VeleroServerDown',
  'VeleroNodeAgentDown',
  'VeleroBackupQueueStalled',
]);
const SUMMARY_LIMIT = 160;

/**
 * What of the entity an alert is about, from its labels, or `undefined`
 * when it is about nothing of the entity's. Only the entity's attributed
 * namespaces count (another owner's are withheld before this), so an
 * annotation cannot show another team's alerts.
 */
export function alertConcern(
  labels: Record<string, string>,
  storage: ClusterStorage,
  entityRef: string,
  veleroNamespace: string,
): AlertConcern | undefined {
  if (labels.entity === entityRef) return { kind: 'entity', name: entityRef };
  const claim = labels.persistentvolumeclaim;
  if (
    claim &&
    storage.volumes.some(
      v => v.namespace === labels.namespace && v.name === claim,
    )
  ) {
    return { kind: 'volume', name: claim, namespace: labels.namespace };
  }
  const location = labels.backup_location_name;
  if (location && usedLocations(storage).has(location)) {
    return { kind: 'storage-location', name: location };
  }
  const schedule = labels.schedule;
  if (schedule && storage.schedules.some(s => s.name === schedule)) {
    return { kind: 'schedule', name: schedule };
  }
  if (
    VELERO_WIDE.has(labels.alertname) &&
    (labels.namespace === undefined || labels.namespace === veleroNamespace) &&
    storage.volumes.length > 0
  ) {
    return { kind: 'velero', name: veleroNamespace };
  }
  return undefined;
}

/** Locations the entity's schedules write to and its backups were read from. */
function usedLocations(storage: ClusterStorage): Set<string> {
  return new Set(
    [
      ...storage.schedules.map(s => s.storageLocation),
      ...storage.volumes.flatMap(v => v.backups.map(b => b.storageLocation)),
    ].filter((l): l is string => Boolean(l)),
  );
}

/**
 * The alert as an owner reads it: its summary in one line (Velero's messages
 * run long), the whole text on demand.
 */
export function toStorageAlert(
  alert: AlertmanagerAlert,
  concerns: AlertConcern,
): StorageAlert {
  const { summary, description, message } = alert.annotations ?? {};
  const full = [summary, description ?? message].filter(Boolean).join('\n');
  const firstLine = (
    summary ??
    description ??
    message ??
    alert.labels.alertname
  )
    .split('\n')[0]
    .trim();
  const line =
    firstLine.length > SUMMARY_LIMIT
      ? `${firstLine.slice(0, SUMMARY_LIMIT - 1)}…`
      : firstLine;
  return {
    name: alert.labels.alertname,
    severity: alert.labels.severity,
    summary: line,
    ...(full && full !== line && { detail: full }),
    since: alert.startsAt,
    concerns,
  };
}
