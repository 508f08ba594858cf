import { CronTime } from 'cron';
import { API, AppResource, PLAN, yamlFile } from './manifests';
import { LOCALPV_DEPLOYMENT } from './openebs';

// PromQL shared by the alerts and the dashboard, so that a panel shows what
// its alert fires on.

/** Keeps the series of claims of the platform's OpenEBS classes. */
const OF_OPENEBS_CLAIMS = `and on (namespace, persistentvolumeclaim) kube_persistentvolumeclaim_info{storageclass=~"${[
  PLAN.storageClasses.hostpath,
  PLAN.storageClasses.device,
].join('|')}"}`;
const PENDING_OPENEBS_CLAIMS = `kube_persistentvolumeclaim_status_phase{phase="Pending"} == 1 ${OF_OPENEBS_CLAIMS}`;
const VOLUME_FREE_RATIO =
  'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes';
const LOCALPV_READY_REPLICAS = `kube_deployment_status_replicas_ready{namespace="kube-system", deployment="${LOCALPV_DEPLOYMENT}"}`;
const SECONDS_SINCE_SCHEDULED_BACKUP =
  'time() - velero_backup_last_successful_timestamp{schedule!=""}';
/** Recorded per schedule the platform knows: the gap between its runs. */
const SCHEDULE_INTERVAL = 'velero:schedule_interval_seconds';
/** A run may take an hour before its schedule counts as missed. */
const GRACE_SECONDS = 3600;
/** For a schedule with no recorded interval: a day plus the grace. */
const DEFAULT_STALE_SECONDS = 24 * 3600 + GRACE_SECONDS;

/** A Velero Schedule as the chart names it (`<release>-<name>`), and its cron. */
export type KnownSchedule = { name: string; cron: string };

/**
 * The longest gap between a cron schedule's next runs (over a fortnight of
 * runs), in seconds: a weekly schedule's backup is not stale after a day.
 */
export function scheduleIntervalSeconds(cron: string): number {
  const every = /^@every\s+(.+)$/.exec(cron.trim());
  if (every) {
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
    let total = 0;
    for (const [, n, unit] of every[1].matchAll(/([0-9.]+)(ms|h|m|s)/g)) {
      total += Number(n) * units[unit];
    }
    return Math.round(total);
  }
  const runs = new CronTime(cron, 'UTC').sendAt(15).map(d => d.toMillis());
  let longest = 0;
  for (let i = 1; i < runs.length; i++) {
    longest = Math.max(longest, runs[i] - runs[i - 1]);
  }
  return Math.round(longest / 1000);
}

/** Recording rules: each schedule's interval, for VeleroNoRecentBackup. */
function scheduleIntervalRecords(schedules: KnownSchedule[]) {
  return schedules.map(schedule => ({
    record: SCHEDULE_INTERVAL,
    expr: `vector(${scheduleIntervalSeconds(schedule.cron)})`,
    labels: { schedule: schedule.name },
  }));
}

/**
 * A workload's own schedule recorded for the platform's staleness alert, as
 * a PrometheusRule of the workload (a weekly schedule is then measured
 * against a week, not the default day).
 */
export function scheduleIntervalResource(schedule: KnownSchedule): AppResource {
  return {
    file: 'prometheusrule.yaml',
    content: yamlFile({
      apiVersion: API.monitoring,
      kind: 'PrometheusRule',
      metadata: { name: `${schedule.name}-schedule` },
      spec: {
        groups: [
          {
            name: `${schedule.name}-schedule`,
            rules: scheduleIntervalRecords([schedule]),
          },
        ],
      },
    }),
  };
}

/**
 * Alerts for the plan's service levels (docs/requirements.md). Metric names and labels
 * are Velero 1.18's (pkg/metrics: counters and the last-success gauge by
 * `schedule`, the location gauge by `backup_location_name`) and
 * kube-state-metrics'. Each alert has a firing and a quiet case in
 * __promtool__/platform-alerts.test.yaml. The Velero chart writes these
 * into its own PrometheusRule (see velero.ts).
 */
export function veleroAlertRules(options: {
  veleroNamespace: string;
  schedules: KnownSchedule[];
}) {
  const { veleroNamespace, schedules } = options;
  return [
    ...scheduleIntervalRecords(schedules),
    {
      // Manual backups count too: a failed backup is never wanted.
      alert: 'VeleroBackupFailed',
      expr: 'increase(velero_backup_failure_total[1h]) > 0',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'A Velero backup failed in the last hour',
        description:
          'Schedule "{{ $labels.schedule }}" (empty: a manual backup).',
      },
    },
    {
      alert: 'VeleroBackupPartiallyFailed',
      expr: 'increase(velero_backup_partial_failure_total[1h]) > 0',
      labels: { severity: 'warning' },
      annotations: {
        summary:
          'A Velero backup partially failed in the last hour: some items or volumes are missing',
        description:
          'Schedule "{{ $labels.schedule }}" (empty: a manual backup).',
      },
    },
    {
      // Each schedule against its own interval (recorded above); one the
      // platform does not know (a workload's own) against a day.
      alert: 'VeleroNoRecentBackup',
      expr: `(${SECONDS_SINCE_SCHEDULED_BACKUP}) > on (schedule) group_left() (${SCHEDULE_INTERVAL} + ${GRACE_SECONDS}) or ((${SECONDS_SINCE_SCHEDULED_BACKUP}) unless on (schedule) ${SCHEDULE_INTERVAL}) > ${DEFAULT_STALE_SECONDS}`,
      labels: { severity: 'critical' },
      annotations: {
        summary:
          'No successful backup of a schedule within its interval plus an hour (AC-002-02)',
        description: 'Schedule "{{ $labels.schedule }}".',
      },
    },
    // Velero sets the last-success gauge only when a backup succeeds: after
    // a restart it is absent, and the alert above cannot see the schedule.
    ...schedules.map(schedule => ({
      alert: 'VeleroScheduledBackupMissing',
      expr: `absent_over_time(velero_backup_last_successful_timestamp{schedule="${
        schedule.name
      }"}[${scheduleIntervalSeconds(schedule.cron) + GRACE_SECONDS}s])`,
      labels: { severity: 'critical' },
      annotations: {
        summary:
          'Velero has reported no successful backup of a schedule for its whole interval plus an hour (restarted, or never succeeded)',
        description: 'Schedule "{{ $labels.schedule }}".',
      },
    })),
    {
      alert: 'VeleroServerDown',
      expr: `kube_deployment_status_replicas_available{namespace="${veleroNamespace}", deployment="velero"} < 1`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary:
          'The Velero server is not running: no backup, schedule or restore runs',
      },
    },
    {
      alert: 'VeleroNodeAgentDown',
      expr: `kube_daemonset_status_number_unavailable{namespace="${veleroNamespace}", daemonset="node-agent"} > 0`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary:
          'A Velero node-agent is not running: volumes on its node are not backed up or restored',
        description: 'Node agents unavailable: {{ $value }}.',
      },
    },
    {
      // Velero validates a location every minute; 5 minutes rides out a blip.
      alert: 'VeleroBackupLocationUnavailable',
      expr: 'velero_backup_location_status_gauge == 0',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary:
          'A Velero backup storage location is unavailable: backups to it fail',
        description: 'Location "{{ $labels.backup_location_name }}".',
      },
    },
    {
      alert: 'VeleroBackupSlow',
      expr: 'histogram_quantile(0.95, sum by (le, schedule) (rate(velero_backup_duration_seconds_bucket{schedule!=""}[1d]))) > 300',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Backups take longer than 5 minutes (AC-002-01)',
      },
    },
    {
      alert: 'VeleroRestoreFailed',
      expr: 'increase(velero_restore_failed_total[1h]) > 0',
      labels: { severity: 'warning' },
      annotations: { summary: 'A Velero restore failed in the last hour' },
    },
  ];
}

const OPENEBS_ALERT_RULES = [
  {
    alert: 'OpenEBSLocalPVProvisionerUnavailable',
    expr: `${LOCALPV_READY_REPLICAS} < 1`,
    for: '5m',
    labels: { severity: 'critical' },
    annotations: {
      summary:
        'No OpenEBS LocalPV provisioner replica is ready: new volumes stay Pending',
    },
  },
  {
    alert: 'OpenEBSVolumeClaimPending',
    expr: PENDING_OPENEBS_CLAIMS,
    for: '5m',
    labels: { severity: 'warning' },
    annotations: {
      summary:
        'An OpenEBS volume claim is still Pending after 5 minutes (AC-001-01: Bound in 30 s)',
      description:
        '{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }}.',
    },
  },
  {
    alert: 'OpenEBSVolumeAlmostFull',
    expr: `${VOLUME_FREE_RATIO} < 0.1 ${OF_OPENEBS_CLAIMS}`,
    for: '15m',
    labels: { severity: 'warning' },
    annotations: {
      summary: 'An OpenEBS volume has less than 10% free space',
      description:
        '{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }}.',
    },
  },
];

/**
 * The OpenEBS alerts as a PrometheusRule, with the labels the Prometheus
 * Operator's ruleSelector matches.
 */
export function openebsAlertsResource(
  labels: Record<string, string> = {},
): AppResource {
  return {
    file: 'prometheusrule.yaml',
    content: yamlFile({
      apiVersion: API.monitoring,
      kind: 'PrometheusRule',
      metadata: {
        name: 'openebs-localpv',
        ...(Object.keys(labels).length ? { labels } : {}),
      },
      spec: {
        groups: [{ name: 'openebs-localpv', rules: OPENEBS_ALERT_RULES }],
      },
    }),
  };
}

type Panel = [title: string, targets: { expr: string; legendFormat: string }[]];

/** The dashboard's panels, two to a row, in order. */
const DASHBOARD_PANELS: Panel[] = [
  [
    // One query per outcome: `or` between series with the same labels
    // would hide the failures.
    'Backups per schedule and day',
    [
      {
        expr: 'sum by (schedule) (increase(velero_backup_success_total[1d]))',
        legendFormat: '{{schedule}} succeeded',
      },
      {
        expr: 'sum by (schedule) (increase(velero_backup_partial_failure_total[1d]))',
        legendFormat: '{{schedule}} partially failed',
      },
      {
        expr: 'sum by (schedule) (increase(velero_backup_failure_total[1d]))',
        legendFormat: '{{schedule}} failed',
      },
    ],
  ],
  [
    'Hours since the last good backup (alert at 25)',
    [
      {
        expr: `(${SECONDS_SINCE_SCHEDULED_BACKUP}) / 3600`,
        legendFormat: '{{schedule}}',
      },
    ],
  ],
  [
    'Backup duration p95 (s), SLO 300',
    [
      {
        expr: 'histogram_quantile(0.95, sum by (le, schedule) (rate(velero_backup_duration_seconds_bucket[1d])))',
        legendFormat: '{{schedule}}',
      },
    ],
  ],
  [
    'Backup storage location available (1) or not (0)',
    [
      {
        expr: 'velero_backup_location_status_gauge',
        legendFormat: '{{backup_location_name}}',
      },
    ],
  ],
  [
    'OpenEBS LocalPV provisioner ready replicas',
    [{ expr: LOCALPV_READY_REPLICAS, legendFormat: 'ready' }],
  ],
  [
    'OpenEBS volume claims Pending',
    [
      {
        expr: `sum(${PENDING_OPENEBS_CLAIMS}) or vector(0)`,
        legendFormat: 'pending',
      },
    ],
  ],
  [
    'OpenEBS volume usage',
    [
      {
        expr: `(1 - ${VOLUME_FREE_RATIO}) ${OF_OPENEBS_CLAIMS}`,
        legendFormat: '{{namespace}}/{{persistentvolumeclaim}}',
      },
    ],
  ],
];

function dashboardJson(): string {
  return JSON.stringify(
    {
      title: 'OpenEBS LocalPV + Velero',
      uid: 'openebs-velero',
      schemaVersion: 39,
      tags: ['openebs', 'velero'],
      time: { from: 'now-7d', to: 'now' },
      templating: {
        list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }],
      },
      panels: DASHBOARD_PANELS.map(([title, targets], i) => ({
        id: i + 1,
        title,
        type: 'timeseries',
        gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
        datasource: { type: 'prometheus', uid: '${datasource}' },
        targets: targets.map((t, j) => ({
          ...t,
          refId: String.fromCharCode(65 + j),
        })),
      })),
    },
    null,
    2,
  );
}

/**
 * The Grafana dashboard of backups and volumes, as a ConfigMap Grafana's
 * sidecar loads by its `grafana_dashboard` label; in the Velero app.
 */
export function veleroDashboardResource(): AppResource {
  return {
    file: 'grafana-dashboard.yaml',
    content: yamlFile({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'openebs-velero-dashboard',
        labels: { grafana_dashboard: '1' },
      },
      data: { 'openebs-velero.json': dashboardJson() },
    }),
  };
}
