/*
 * Turns the Prometheus Operator objects the platform put into the full lab
 * (ServiceMonitors, PodMonitors, PrometheusRules: what the template's charts
 * and kustomizations rendered) into a plain Prometheus's configuration, the
 * way the operator would, for the lab's Prometheus (no operator runs there;
 * lab/scripts/monitoring.sh).
 *
 *   kubectl get servicemonitors,podmonitors,prometheusrules -A -o json |
 *     node --require @backstage/cli/config/nodeTransform.cjs \
 *       plugins/scaffolder-backend-module-openebs/dev/labPlatform/prometheusConfig.ts OUT_DIR
 *
 * Env: LAB_API_URL, LAB_CA_FILE, PROMETHEUS_TOKEN_FILE (the API server and
 * the token service discovery lists endpoints with), ALERTMANAGER_ADDRESS
 * (host:port), STATIC_TARGETS (`job=host:port` separated by spaces: the
 * exporters outside the cluster, kube-state-metrics in the lab),
 * SCRAPE_INTERVAL (default 15s).
 *
 * Writes OUT_DIR/prometheus.yml and one OUT_DIR/rules/NAMESPACE-NAME.yml per
 * PrometheusRule, its groups as the object holds them: the rules Prometheus
 * evaluates are the template's own.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

type Metadata = { name: string; namespace: string };
type Selector = { matchLabels?: Record<string, string> };
type NamespaceSelector = { any?: boolean; matchNames?: string[] };
type MonitorEndpoint = {
  port?: string;
  path?: string;
  interval?: string;
  scheme?: string;
};
type Monitor = {
  kind: 'ServiceMonitor' | 'PodMonitor';
  metadata: Metadata;
  spec: {
    selector?: Selector;
    namespaceSelector?: NamespaceSelector;
    endpoints?: MonitorEndpoint[];
    podMetricsEndpoints?: MonitorEndpoint[];
  };
};
type Rule = {
  kind: 'PrometheusRule';
  metadata: Metadata;
  spec: { groups?: unknown[] };
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (lab/scripts/monitoring.sh)`);
  return value;
}

/** Prometheus's form of a Kubernetes label name in discovery meta labels. */
function metaLabel(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** One scrape job per monitor endpoint, as the operator names and builds them. */
function scrapeJob(monitor: Monitor, endpoint: MonitorEndpoint, index: number) {
  const pods = monitor.kind === 'PodMonitor';
  const role = pods ? 'pod' : 'endpointslice';
  const labelPrefix = pods
    ? '__meta_kubernetes_pod_label_'
    : '__meta_kubernetes_service_label_';
  const portLabel = pods
    ? '__meta_kubernetes_pod_container_port_name'
    : '__meta_kubernetes_endpointslice_port_name';
  const namespaces = monitor.spec.namespaceSelector?.any
    ? undefined
    : monitor.spec.namespaceSelector?.matchNames ?? [
        monitor.metadata.namespace,
      ];
  const selectorLabels = Object.entries(
    monitor.spec.selector?.matchLabels ?? {},
  );
  const kind = pods ? 'podMonitor' : 'serviceMonitor';
  return {
    job_name: `${kind}/${monitor.metadata.namespace}/${monitor.metadata.name}/${index}`,
    ...(endpoint.interval ? { scrape_interval: endpoint.interval } : {}),
    metrics_path: endpoint.path ?? '/metrics',
    scheme: endpoint.scheme ?? 'http',
    kubernetes_sd_configs: [
      {
        role,
        api_server: required('LAB_API_URL'),
        tls_config: { ca_file: required('LAB_CA_FILE') },
        authorization: { credentials_file: required('PROMETHEUS_TOKEN_FILE') },
        ...(namespaces ? { namespaces: { names: namespaces } } : {}),
      },
    ],
    relabel_configs: [
      ...selectorLabels.map(([name, value]) => ({
        action: 'keep',
        source_labels: [`${labelPrefix}${metaLabel(name)}`],
        regex: value,
      })),
      ...(endpoint.port
        ? [{ action: 'keep', source_labels: [portLabel], regex: endpoint.port }]
        : []),
      // Only running pods: a terminated one keeps its IP in discovery.
      ...(pods
        ? [
            {
              action: 'drop',
              source_labels: ['__meta_kubernetes_pod_phase'],
              regex: 'Succeeded|Failed',
            },
          ]
        : []),
      {
        source_labels: ['__meta_kubernetes_namespace'],
        target_label: 'namespace',
      },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      // The operator's job label: the Service's name, or the PodMonitor's.
      ...(pods
        ? [
            {
              target_label: 'job',
              replacement: `${monitor.metadata.namespace}/${monitor.metadata.name}`,
            },
          ]
        : [
            {
              source_labels: ['__meta_kubernetes_service_name'],
              target_label: 'service',
            },
            {
              source_labels: ['__meta_kubernetes_service_name'],
              target_label: 'job',
            },
          ]),
    ],
  };
}

/**
 * The kubelets' own metrics (`kubelet_volume_stats_*`: the volume usage the
 * template's panel and OpenEBSVolumeAlmostFull read), as the monitoring
 * stack scrapes them, not the platform template: kube-prometheus-stack's
 * kubelet ServiceMonitor does the same, with the same TLS trust (a
 * kubelet's serving certificate is its own, self-signed).
 */
function kubeletJob() {
  const token = required('PROMETHEUS_TOKEN_FILE');
  return {
    job_name: 'kubelet',
    scheme: 'https',
    honor_labels: true,
    authorization: { credentials_file: token },
    tls_config: { insecure_skip_verify: true },
    kubernetes_sd_configs: [
      {
        role: 'node',
        api_server: required('LAB_API_URL'),
        tls_config: { ca_file: required('LAB_CA_FILE') },
        authorization: { credentials_file: token },
      },
    ],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' },
    ],
  };
}

function staticJobs(spec: string) {
  return spec
    .split(/\s+/)
    .filter(Boolean)
    .map(entry => {
      const [job, address] = entry.split('=');
      if (!job || !address) {
        throw new Error(`STATIC_TARGETS entry "${entry}" is not job=host:port`);
      }
      // kube-state-metrics' own `namespace` labels are the objects': kept.
      return {
        job_name: job,
        honor_labels: true,
        static_configs: [{ targets: [address] }],
      };
    });
}

function main() {
  const outDir = process.argv[2];
  if (!outDir)
    throw new Error('usage: prometheusConfig.ts OUT_DIR < objects.json');
  const { items } = JSON.parse(readFileSync(0, 'utf8')) as {
    items: (Monitor | Rule)[];
  };
  const monitors = items.filter(
    (i): i is Monitor => i.kind !== 'PrometheusRule',
  );
  const rules = items.filter((i): i is Rule => i.kind === 'PrometheusRule');

  rmSync(join(outDir, 'rules'), { recursive: true, force: true });
  mkdirSync(join(outDir, 'rules'), { recursive: true });
  for (const rule of rules) {
    const file = `${rule.metadata.namespace}-${rule.metadata.name}.yml`;
    writeFileSync(
      join(outDir, 'rules', file),
      stringify({ groups: rule.spec.groups ?? [] }),
    );
  }

  const interval = process.env.SCRAPE_INTERVAL ?? '15s';
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    alerting: {
      alertmanagers: [
        { static_configs: [{ targets: [required('ALERTMANAGER_ADDRESS')] }] },
      ],
    },
    rule_files: [join(outDir, 'rules', '*.yml')],
    scrape_configs: [
      ...monitors.flatMap(monitor =>
        (monitor.spec.endpoints ?? monitor.spec.podMetricsEndpoints ?? []).map(
          (endpoint, index) => scrapeJob(monitor, endpoint, index),
        ),
      ),
      kubeletJob(),
      ...staticJobs(process.env.STATIC_TARGETS ?? ''),
    ],
  };
  writeFileSync(join(outDir, 'prometheus.yml'), stringify(config));
  process.stderr.write(
    `prometheusConfig: ${monitors.length} monitors, ${rules.length} rule objects → ${outDir}\n`,
  );
}

main();
