import {
  DashboardBuilder,
  DatasourceVariableBuilder,
  RowBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { STORAGE_METRICS as M } from '@openebs-portal/plugin-openebs-storage-common';
import {
  LOCALPV_READY_REPLICAS,
  OF_OPENEBS_CLAIMS,
  PENDING_OPENEBS_CLAIMS,
  SECONDS_SINCE_SCHEDULED_BACKUP,
  VOLUME_FREE_RATIO,
} from './promql';

/** One panel: its title, unit and queries (legend per query). */
export interface DashboardPanel {
  title: string;
  unit: string;
  description?: string;
  queries: Array<{ expr: string; legend: string }>;
}

/** The dashboard's rows and their panels, in order. */
export const DASHBOARD_ROWS: Array<{
  title: string;
  panels: DashboardPanel[];
}> = [
  {
    title: 'Backups (Velero)',
    panels: [
      {
        // One query per outcome: `or` between series with the same labels
        // would hide the failures.
        title: 'Backups per schedule and day',
        unit: 'short',
        queries: [
          {
            expr: 'sum by (schedule) (increase(velero_backup_success_total[1d]))',
            legend: '{{schedule}} succeeded',
          },
          {
            expr: 'sum by (schedule) (increase(velero_backup_partial_failure_total[1d]))',
            legend: '{{schedule}} partially failed',
          },
          {
            expr: 'sum by (schedule) (increase(velero_backup_failure_total[1d]))',
            legend: '{{schedule}} failed',
          },
        ],
      },
      {
        title: 'Backup success rate over a day',
        unit: 'percentunit',
        queries: [
          {
            expr: 'sum by (schedule) (increase(velero_backup_success_total[1d])) / sum by (schedule) (increase(velero_backup_attempt_total[1d]))',
            legend: '{{schedule}}',
          },
        ],
      },
      {
        title: 'Hours since the last good backup',
        unit: 'h',
        queries: [
          {
            expr: `(${SECONDS_SINCE_SCHEDULED_BACKUP}) / 3600`,
            legend: '{{schedule}}',
          },
        ],
      },
      {
        title: 'Backup duration p95 (service level 300 s)',
        unit: 's',
        queries: [
          {
            expr: 'histogram_quantile(0.95, sum by (le, schedule) (rate(velero_backup_duration_seconds_bucket[1d])))',
            legend: '{{schedule}}',
          },
        ],
      },
      {
        title: 'Backup size (Velero metadata tarball)',
        unit: 'bytes',
        description:
          "Velero exports the size of a backup's object tarball only; the bytes of each volume are on the portal's Storage tab.",
        queries: [
          {
            expr: 'velero_backup_tarball_size_bytes',
            legend: '{{schedule}}',
          },
        ],
      },
      {
        title: 'Backup storage location available (1) or not (0)',
        unit: 'short',
        queries: [
          {
            expr: 'velero_backup_location_status_gauge',
            legend: '{{backup_location_name}}',
          },
        ],
      },
    ],
  },
  {
    title: 'Restores',
    panels: [
      {
        title: 'Restores per day, by outcome (Velero)',
        unit: 'short',
        queries: [
          {
            expr: 'sum(increase(velero_restore_success_total[1d]))',
            legend: 'succeeded',
          },
          {
            expr: 'sum(increase(velero_restore_partial_failure_total[1d]))',
            legend: 'partially failed',
          },
          {
            expr: 'sum(increase(velero_restore_failed_total[1d]))',
            legend: 'failed',
          },
        ],
      },
      {
        title: 'Restore duration p95 through the portal (service level 900 s)',
        unit: 's',
        queries: [
          {
            expr: `histogram_quantile(0.95, sum by (le, requester) (rate(${M.restoreDuration}_bucket[7d])))`,
            legend: '{{requester}}',
          },
        ],
      },
    ],
  },
  {
    title: 'Volumes (OpenEBS)',
    panels: [
      {
        title: 'OpenEBS LocalPV provisioner ready replicas',
        unit: 'short',
        queries: [{ expr: LOCALPV_READY_REPLICAS, legend: 'ready' }],
      },
      {
        title: 'OpenEBS volume claims Pending',
        unit: 'short',
        queries: [
          {
            expr: `sum(${PENDING_OPENEBS_CLAIMS}) or vector(0)`,
            legend: 'pending',
          },
        ],
      },
      {
        title: 'OpenEBS volume usage',
        unit: 'percentunit',
        queries: [
          {
            expr: `(1 - ${VOLUME_FREE_RATIO}) ${OF_OPENEBS_CLAIMS}`,
            legend: '{{namespace}}/{{persistentvolumeclaim}}',
          },
        ],
      },
    ],
  },
  {
    title: "Teams' services (the portal)",
    panels: [
      {
        title: 'Services by protection state',
        unit: 'short',
        queries: [
          {
            expr: `sum by (state) (max by (entity, state) (${M.entityHealth}))`,
            legend: '{{state}}',
          },
        ],
      },
      {
        title: 'Oldest recovery point per service',
        unit: 's',
        queries: [
          {
            expr: `max by (entity) (${M.recoveryPointAge})`,
            legend: '{{entity}}',
          },
        ],
      },
      {
        title: 'Restore drill recovery time per service',
        unit: 's',
        queries: [
          {
            expr: `max by (entity) (${M.drillRecoverySeconds})`,
            legend: '{{entity}}',
          },
        ],
      },
    ],
  },
];

/**
 * The platform's Grafana dashboard, built with the Grafana Foundation SDK:
 * rows of time series, every query on the dashboard's Prometheus variable.
 * The provisioner (and the lab's stand-in for it) exports no metrics, so
 * provisioning time is measured per volume on the Storage tab instead.
 */
export function platformDashboard() {
  const datasource = { type: 'prometheus', uid: '${datasource}' };
  const dashboard = new DashboardBuilder('OpenEBS LocalPV + Velero')
    .uid('openebs-velero')
    .tags(['openebs', 'velero'])
    .time({ from: 'now-7d', to: 'now' })
    .withVariable(
      new DatasourceVariableBuilder('datasource')
        .label('Prometheus')
        .type('prometheus'),
    );
  // Grafana keys panels by id: one each, rows included.
  let id = 0;
  for (const row of DASHBOARD_ROWS) {
    dashboard.withRow(new RowBuilder(row.title).id(++id));
    for (const panel of row.panels) {
      const builder = new TimeseriesBuilder()
        .id(++id)
        .title(panel.title)
        .unit(panel.unit)
        .datasource(datasource)
        .span(12)
        .height(8);
      if (panel.description) builder.description(panel.description);
      panel.queries.forEach((query, i) =>
        builder.withTarget(
          new DataqueryBuilder()
            .expr(query.expr)
            .legendFormat(query.legend)
            .refId(String.fromCharCode(65 + i)),
        ),
      );
      dashboard.withPanel(builder);
    }
  }
  return dashboard.build();
}
