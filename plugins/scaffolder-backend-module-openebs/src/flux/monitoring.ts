import { CronTime } from 'cron';
import { API, AppResource, yamlFile } from './manifests';
import { platformDashboard } from './platformDashboard';
import {
  LOCALPV_READY_REPLICAS,
  OF_OPENEBS_CLAIMS,
  PENDING_OPENEBS_CLAIMS,
  SECONDS_SINCE_SCHEDULED_BACKUP,
  VOLUME_FREE_RATIO,
} from './promql';

/** Recorded per schedule the platform knows: the gap between its runs. */
const SCHEDULE_INTERVAL = 'velero:schedule_interval_seconds';
/** For a schedule with no recorded interval: a day, then the grace. */
const DEFAULT_INTERVAL_SECONDS = 24 * 3600;

/** A Velero Schedule as the chart names it (`<release>-<name>`), and its cron. */
export type KnownSchedule = { name: string; cron: string };

const UNIT_SECONDS: Record<string, number> = {
  y: 365 * 86400,
  w: 7 * 86400,
  d: 86400,
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
};

/**
 * Seconds in a duration as Prometheus (`1h30m`, `2d`) or Go's `@every`
 * (`1.5h`) write it; its format is checked where it enters (PROMETHEUS_DURATION).
 */
export function durationSeconds(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/([0-9.]+)(ms|y|w|d|h|m|s)/g)) {
    total += Number(n) * UNIT_SECONDS[unit];
  }
  return Math.round(total);
}

/**
 * The longest gap between a cron schedule's next runs (over a fortnight of
 * runs), in seconds: a weekly schedule's backup is not stale after a day.
 */
export function scheduleIntervalSeconds(cron: string): number {
  const every = /^@every\s+(.+)$/.exec(cron.trim());
  if (every) return durationSeconds(every[1]);
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
  /** How late (a Prometheus duration) a schedule's backup may be. */
  grace: string;
}) {
  const { veleroNamespace, schedules, grace } = options;
  const graceSeconds = durationSeconds(grace);
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
      // Each schedule against its own interval (recorded above); one no
      // rule records (a workload's own, written by hand) against a day.
      alert: 'VeleroNoRecentBackup',
      expr: `(${SECONDS_SINCE_SCHEDULED_BACKUP}) > on (schedule) group_left() (${SCHEDULE_INTERVAL} + ${graceSeconds}) or ((${SECONDS_SINCE_SCHEDULED_BACKUP}) unless on (schedule) ${SCHEDULE_INTERVAL}) > ${
        DEFAULT_INTERVAL_SECONDS + graceSeconds
      }`,
      labels: { severity: 'critical' },
      annotations: {
        summary: `No successful backup of a schedule within its interval plus ${grace} (AC-002-02)`,
        description: 'Schedule "{{ $labels.schedule }}".',
      },
    },
    // Velero sets the last-success gauge only when a backup succeeds: after
    // a restart it is absent, and the alert above cannot see the schedule.
    ...schedules.map(schedule => ({
      alert: 'VeleroScheduledBackupMissing',
      expr: `absent_over_time(velero_backup_last_successful_timestamp{schedule="${
        schedule.name
      }"}[${scheduleIntervalSeconds(schedule.cron) + graceSeconds}s])`,
      labels: { severity: 'critical' },
      annotations: {
        summary: `Velero has reported no successful backup of a schedule for its whole interval plus ${grace} (restarted, or never succeeded)`,
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
      data: {
        'openebs-velero.json': JSON.stringify(platformDashboard(), null, 2),
      },
    }),
  };
}
