/*
 * The backend's metrics for Prometheus, as Backstage's observability guide
 * sets them up: a global OpenTelemetry MeterProvider whose reader is a
 * Prometheus exporter, registered before any plugin asks Backstage's
 * metrics service for a meter (hence `--require`, see package.json). The
 * storage plugin's per-entity gauges and restore outcomes are read here by
 * the platform's Prometheus (its alert rules name them).
 *
 * BACKSTAGE_METRICS_PORT (default 9464, the exporter's) and
 * BACKSTAGE_METRICS_HOST (default all addresses, for a Prometheus in the
 * cluster) say where /metrics is served.
 */
const { metrics } = require('@opentelemetry/api');
const { MeterProvider } = require('@opentelemetry/sdk-metrics');
const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');

const exporter = new PrometheusExporter({
  host: process.env.BACKSTAGE_METRICS_HOST || undefined,
  port: Number(process.env.BACKSTAGE_METRICS_PORT || 9464),
});
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
