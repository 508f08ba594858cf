import { STORAGE_METRICS as M } from '@openebs-portal/plugin-openebs-storage-common';
import { API, AppResource, yamlFile } from './manifests';
import type { PlatformSpec } from './platformSpec';

// The portal backend's per-entity gauges carry `entity` and `owner` labels,
// so Alertmanager can route each alert to the team that owns the service.
// Every backend instance exports the same gauges: `max by` keeps one series.
const BY_ENTITY = 'max by (entity, owner)';

/**
 * A counter's series that grew within the last hour. The backend's counter
 * is created by its first count, so its series first appears at 1 (not 0),
 * and `increase()` needs two samples to see a change: the first failed
 * restore of an entity since the backend started would never alert. A
 * series with no sample an hour ago is new, and new means counted.
 */
function increasedWithinHour(series: string): string {
  return `(increase(${series}[1h]) > 0 or (${series} unless ${series} offset 1h))`;
}

/** The rules, with the platform's choice of how long slow burns may last. */
const portalAlertRules = ({
  unprotected,
  unverified,
}: PlatformSpec['monitoring']['alertAfter']) => [
  {
    alert: 'OpenEBSEntityBackupOverdue',
    expr: `${BY_ENTITY} (${M.overdueVolumes}) > 0`,
    for: '15m',
    labels: { severity: 'warning' },
    annotations: {
      summary:
        "A service's volumes missed the backup their schedule was due to take",
      description:
        '{{ $labels.entity }} (owner {{ $labels.owner }}): {{ $value }} volume(s) overdue; the Storage tab names the schedule and the run.',
    },
  },
  {
    alert: 'OpenEBSEntityVolumesUnprotected',
    expr: `${BY_ENTITY} (${M.entityVolumes}{state="unprotected"}) > 0`,
    for: unprotected,
    labels: { severity: 'warning' },
    annotations: {
      summary: 'A service has volumes no backup protects',
      description:
        '{{ $labels.entity }} (owner {{ $labels.owner }}): {{ $value }} volume(s) with no good backup and no schedule.',
    },
  },
  {
    alert: 'OpenEBSEntityRestoreDrillFailed',
    expr: `${BY_ENTITY} (${M.drillPassed}) == 0`,
    for: '5m',
    labels: { severity: 'critical' },
    annotations: {
      summary:
        "A service's last restore drill failed: its backups may not bring the data back",
      description:
        "{{ $labels.entity }} (owner {{ $labels.owner }}): the Storage tab has the drill's evidence and reason.",
    },
  },
  {
    alert: 'OpenEBSEntityUnverified',
    // A failed drill has its own alert; this one is for "never proven lately".
    expr: `${BY_ENTITY} (${M.unverified}) == 1 unless on (entity) ${BY_ENTITY} (${M.drillPassed}) == 0`,
    for: unverified,
    labels: { severity: 'warning' },
    annotations: {
      summary:
        'A service enrolled for restore drills has no passed drill within the configured window',
      description: '{{ $labels.entity }} (owner {{ $labels.owner }}).',
    },
  },
  {
    alert: 'OpenEBSEntityRestoreFailed',
    expr: `sum by (entity) (${increasedWithinHour(
      `${M.restores}_total{outcome=~"failed|partially-failed", requester="user"}`,
    )}) > 0`,
    labels: { severity: 'warning' },
    annotations: {
      summary: "A restore requested on a service's Storage tab failed",
      description:
        "{{ $labels.entity }}: the tab shows the restore and Velero's reason.",
    },
  },
  {
    // Between two backups Velero's queue may wait for its minute's recheck;
    // five minutes of waiting with nothing running is its bug, not a pause.
    alert: 'VeleroBackupQueueStalled',
    expr: `max by (cluster) (${M.veleroQueueStalled}) > 300`,
    labels: { severity: 'critical' },
    annotations: {
      summary:
        "Velero's backup queue has been stuck for over 5 minutes: backups wait and none runs",
      description:
        'Cluster "{{ $labels.cluster }}": annotate a ReadyToStart Backup so Velero starts it, else restart Velero (runbook: velero-backup-queue).',
    },
  },
];

/**
 * Alerts on the portal backend's per-entity gauges and restore counter, as
 * a PrometheusRule with the labels the Prometheus Operator's ruleSelector
 * matches. The metric names are the ones the backend exports through
 * Backstage's metrics service and an OpenTelemetry Prometheus exporter.
 */
export function portalAlertsResource({
  labels,
  alertAfter,
}: Pick<PlatformSpec['monitoring'], 'labels' | 'alertAfter'>): AppResource {
  return {
    file: 'portal-prometheusrule.yaml',
    content: yamlFile({
      apiVersion: API.monitoring,
      kind: 'PrometheusRule',
      metadata: {
        name: 'openebs-portal-entities',
        ...(Object.keys(labels).length ? { labels } : {}),
      },
      spec: {
        groups: [
          {
            name: 'openebs-portal-entities',
            rules: portalAlertRules(alertAfter),
          },
        ],
      },
    }),
  };
}
