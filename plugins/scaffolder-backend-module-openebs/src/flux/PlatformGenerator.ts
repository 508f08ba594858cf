import { stringify } from 'yaml';
import { KUBERNETES_SECRET_ENCRYPTED_REGEX } from '../sops/SopsYaml';
import {
  API,
  GeneratedFile,
  kustomizationYaml,
  Manifest,
  PLAN,
  yamlFile,
} from './manifests';
import { ensureResources } from './WorkloadGenerator';

/** Charts pinned by the platform (../shared/charts). */
export const PLATFORM_CHARTS = {
  localpv: {
    name: 'localpv-provisioner',
    version: '4.0.0',
    repository: 'https://openebs.github.io/dynamic-localpv-provisioner',
  },
  lvm: {
    name: 'lvm-localpv',
    version: '1.5.0',
    repository: 'https://openebs.github.io/lvm-localpv',
  },
  velero: {
    name: 'velero',
    version: '12.1.0',
    repository: 'https://vmware-tanzu.github.io/helm-charts',
  },
} as const;

/**
 * The Velero AWS plugin paired with the chart's Velero (12.1.0 ships 1.18.1):
 * the plugin's compatibility table pairs v1.14.x with Velero v1.18.x.
 */
export const VELERO_AWS_PLUGIN_IMAGE = 'velero/velero-plugin-for-aws:v1.14.3';

/** The Velero resource policy ConfigMap the platform's schedule uses. */
export const VELERO_RESOURCE_POLICY = 'velero-resource-policy';

export type PlatformSpec = {
  /** age recipients for .sops.yaml (the cluster's key, and the admins'). */
  recipients: string[];
  openebs: {
    replicas: number;
    memoryRequest: string;
    memoryLimit: string;
    basePath: string;
  };
  /** openebs-localpv-device, backed by LVM-LocalPV (a CSI driver); opt-in. */
  device: { enabled: boolean; volumeGroup: string };
  velero: {
    namespace: string;
    s3Url: string;
    bucket: string;
    region: string;
    secretName: string;
    awsPluginImage: string;
    /**
     * PEM CA bundle the S3 endpoint's certificate chains to, when it is not a
     * public CA; written base64-encoded to the location's caCert.
     */
    caCert?: string;
    memoryRequest: string;
    memoryLimit: string;
  };
};

export const PLATFORM_PATHS = {
  sopsConfig: '.sops.yaml',
  openebsNs: 'kubernetes/apps/kube-system',
  openebs: 'kubernetes/apps/kube-system/openebs',
  veleroNs: 'kubernetes/apps/storage',
  velero: 'kubernetes/apps/storage/velero',
};

function fluxKs(
  name: string,
  path: string,
  targetNamespace: string,
  dependsOn: string[],
): Manifest {
  return {
    apiVersion: API.kustomization,
    kind: 'Kustomization',
    metadata: { name, namespace: PLAN.flux.namespace },
    spec: {
      targetNamespace,
      ...(dependsOn.length
        ? {
            dependsOn: dependsOn.map(d => ({
              name: d,
              namespace: PLAN.flux.namespace,
            })),
          }
        : {}),
      path: `./${path}`,
      prune: true,
      sourceRef: {
        kind: 'GitRepository',
        name: PLAN.flux.gitRepository,
        namespace: PLAN.flux.namespace,
      },
      decryption: {
        provider: 'sops',
        secretRef: { name: PLAN.flux.sopsSecret },
      },
      wait: true,
      interval: '30m',
      retryInterval: '1m',
      timeout: '10m',
    },
  };
}

function helmRepository(name: string, url: string): Manifest {
  return {
    apiVersion: API.source,
    kind: 'HelmRepository',
    metadata: { name },
    spec: { interval: '1h', url },
  };
}

function helmRelease(
  name: string,
  chart: { name: string; version: string },
  source: string,
  values: Record<string, unknown>,
): Manifest {
  return {
    apiVersion: API.helmRelease,
    kind: 'HelmRelease',
    metadata: { name },
    spec: {
      chart: {
        spec: {
          chart: chart.name,
          version: chart.version,
          sourceRef: { kind: 'HelmRepository', name: source },
        },
      },
      interval: '30m',
      install: { crds: 'CreateReplace', remediation: { retries: 3 } },
      upgrade: {
        cleanupOnFail: true,
        crds: 'CreateReplace',
        remediation: { retries: 3 },
      },
      values,
    },
  };
}

function resources(request: string, limit: string) {
  return {
    requests: { cpu: '50m', memory: request },
    limits: { memory: limit },
  };
}

/**
 * The localpv-provisioner Deployment as the 4.0.0 chart names it for our
 * release (`<release>-<chart>`), in kube-system (the Flux Kustomization's
 * targetNamespace). Alerts select it by name so that no other deployment
 * matches.
 */
const LOCALPV_RELEASE = 'openebs-localpv';
export const LOCALPV_DEPLOYMENT = `${LOCALPV_RELEASE}-${PLATFORM_CHARTS.localpv.name}`;

/** PromQL matcher for the claims of the platform's OpenEBS classes. */
const OPENEBS_CLASSES = `storageclass=~"${[
  PLAN.storageClasses.hostpath,
  PLAN.storageClasses.device,
].join('|')}"`;

/**
 * Alerts for the plan's service levels (DESIGN.md). Metric names and labels
 * are Velero 1.18's (pkg/metrics: counters and the last-success gauge by
 * `schedule`, the location gauge by `backup_location_name`) and
 * kube-state-metrics'. Each alert has a firing and a quiet case in
 * __promtool__/platform-alerts.test.yaml.
 */
const VELERO_RULES = [
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
    // Only schedules promise freshness; 25 h leaves the daily run an hour.
    alert: 'VeleroNoRecentBackup',
    expr: 'time() - velero_backup_last_successful_timestamp{schedule!=""} > 90000',
    labels: { severity: 'critical' },
    annotations: {
      summary: 'No successful scheduled backup for 25 hours (AC-002-02: daily)',
      description: 'Schedule "{{ $labels.schedule }}".',
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
    annotations: { summary: 'Backups take longer than 5 minutes (AC-002-01)' },
  },
  {
    alert: 'VeleroRestoreFailed',
    expr: 'increase(velero_restore_failed_total[1h]) > 0',
    labels: { severity: 'warning' },
    annotations: { summary: 'A Velero restore failed in the last hour' },
  },
];

const OPENEBS_RULES = [
  {
    alert: 'OpenEBSLocalPVProvisionerUnavailable',
    expr: `kube_deployment_status_replicas_ready{namespace="kube-system", deployment="${LOCALPV_DEPLOYMENT}"} < 1`,
    for: '5m',
    labels: { severity: 'critical' },
    annotations: {
      summary:
        'No OpenEBS LocalPV provisioner replica is ready: new volumes stay Pending',
    },
  },
  {
    alert: 'OpenEBSVolumeClaimPending',
    expr: `kube_persistentvolumeclaim_status_phase{phase="Pending"} == 1 and on (namespace, persistentvolumeclaim) kube_persistentvolumeclaim_info{${OPENEBS_CLASSES}}`,
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
    expr: `kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.1 and on (namespace, persistentvolumeclaim) kube_persistentvolumeclaim_info{${OPENEBS_CLASSES}}`,
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
 * Velero's volume policy (internal/resourcepolicies, version v1): volumes of
 * the OpenEBS classes are backed up by node-agent (Kopia). LocalPV volumes
 * cannot be snapshotted, so a policy naming them keeps a backup from trying
 * even if a snapshot location is added later.
 */
function resourcePolicy(): string {
  return stringify(
    {
      version: 'v1',
      volumePolicies: [
        {
          conditions: {
            storageClass: [
              PLAN.storageClasses.hostpath,
              PLAN.storageClasses.device,
            ],
          },
          action: { type: 'fs-backup' },
        },
      ],
    },
    { lineWidth: 0 },
  );
}

function dashboard(): string {
  // Panels two to a row, in order.
  const panels: Array<[string, Array<{ expr: string; legendFormat: string }>]> =
    [
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
            expr: '(time() - velero_backup_last_successful_timestamp{schedule!=""}) / 3600',
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
        [
          {
            expr: `kube_deployment_status_replicas_ready{namespace="kube-system", deployment="${LOCALPV_DEPLOYMENT}"}`,
            legendFormat: 'ready',
          },
        ],
      ],
      [
        'OpenEBS volume claims Pending',
        [
          {
            expr: `sum(kube_persistentvolumeclaim_status_phase{phase="Pending"} == 1 and on (namespace, persistentvolumeclaim) kube_persistentvolumeclaim_info{${OPENEBS_CLASSES}}) or vector(0)`,
            legendFormat: 'pending',
          },
        ],
      ],
      [
        'OpenEBS volume usage',
        [
          {
            expr: `(1 - kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes) and on (namespace, persistentvolumeclaim) kube_persistentvolumeclaim_info{${OPENEBS_CLASSES}}`,
            legendFormat: '{{namespace}}/{{persistentvolumeclaim}}',
          },
        ],
      ],
    ];
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
      panels: panels.map(([title, targets], i) => ({
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
 * The storage platform's files: OpenEBS LocalPV (hostpath default class,
 * optional LVM-LocalPV device class) in kube-system, Velero with node-agent
 * FSB in its namespace, .sops.yaml and monitoring. The Velero S3 Secret
 * itself is written by openebs:sops:encrypt at `secretPath`.
 */
export function generatePlatform(
  spec: PlatformSpec,
  existing: { openebsNs?: string; veleroNs?: string } = {},
): { files: GeneratedFile[]; secretPath: string } {
  const P = PLATFORM_PATHS;
  const files: GeneratedFile[] = [];
  const secretFile = `${spec.velero.secretName}.sops.yaml`;

  files.push({
    path: P.sopsConfig,
    content: `---\n${stringify(
      {
        creation_rules: [
          {
            path_regex: 'kubernetes/.*\\.sops\\.ya?ml$',
            encrypted_regex: KUBERNETES_SECRET_ENCRYPTED_REGEX,
            age: spec.recipients.join(','),
          },
        ],
      },
      { lineWidth: 0, singleQuote: true },
    )}`,
  });

  // OpenEBS
  const openebsApp = `${P.openebs}/app`;
  const openebsResources = ['./helmrepository.yaml', './helmrelease.yaml'];
  files.push(
    {
      path: `${P.openebs}/ks.yaml`,
      content: yamlFile(
        fluxKs(PLAN.flux.openebsKustomization, openebsApp, 'kube-system', []),
      ),
    },
    {
      path: `${openebsApp}/helmrepository.yaml`,
      content: yamlFile(
        helmRepository(LOCALPV_RELEASE, PLATFORM_CHARTS.localpv.repository),
      ),
    },
    {
      path: `${openebsApp}/helmrelease.yaml`,
      content: yamlFile(
        helmRelease(LOCALPV_RELEASE, PLATFORM_CHARTS.localpv, LOCALPV_RELEASE, {
          localpv: {
            replicas: spec.openebs.replicas,
            enableLeaderElection: true,
            basePath: spec.openebs.basePath,
            resources: resources(
              spec.openebs.memoryRequest,
              spec.openebs.memoryLimit,
            ),
          },
          hostpathClass: {
            name: PLAN.storageClasses.hostpath,
            enabled: true,
            isDefaultClass: true,
            reclaimPolicy: 'Delete',
            basePath: spec.openebs.basePath,
          },
          analytics: { enabled: false },
        }),
      ),
    },
  );
  if (spec.device.enabled) {
    openebsResources.push(
      './helmrepository-lvm-localpv.yaml',
      './helmrelease-lvm-localpv.yaml',
      './storageclass-device.yaml',
    );
    files.push(
      {
        path: `${openebsApp}/helmrepository-lvm-localpv.yaml`,
        content: yamlFile(
          helmRepository('openebs-lvm-localpv', PLATFORM_CHARTS.lvm.repository),
        ),
      },
      {
        path: `${openebsApp}/helmrelease-lvm-localpv.yaml`,
        content: yamlFile(
          helmRelease(
            'openebs-lvm-localpv',
            PLATFORM_CHARTS.lvm,
            'openebs-lvm-localpv',
            {
              lvmController: {
                resources: resources(
                  spec.openebs.memoryRequest,
                  spec.openebs.memoryLimit,
                ),
              },
              lvmNode: {
                resources: resources(
                  spec.openebs.memoryRequest,
                  spec.openebs.memoryLimit,
                ),
              },
              analytics: { enabled: false },
            },
          ),
        ),
      },
      {
        path: `${openebsApp}/storageclass-device.yaml`,
        content: yamlFile({
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: {
            name: PLAN.storageClasses.device,
            annotations: {
              'storageclass.kubernetes.io/is-default-class': 'false',
            },
          },
          provisioner: 'local.csi.openebs.io',
          parameters: {
            storage: 'lvm',
            volgroup: spec.device.volumeGroup,
            fsType: 'ext4',
          },
          reclaimPolicy: 'Delete',
          allowVolumeExpansion: true,
          volumeBindingMode: 'WaitForFirstConsumer',
        }),
      },
    );
  }
  openebsResources.push('./prometheusrule.yaml');
  files.push(
    {
      path: `${openebsApp}/prometheusrule.yaml`,
      content: yamlFile({
        apiVersion: API.monitoring,
        kind: 'PrometheusRule',
        metadata: { name: 'openebs-localpv' },
        spec: { groups: [{ name: 'openebs-localpv', rules: OPENEBS_RULES }] },
      }),
    },
    {
      path: `${openebsApp}/kustomization.yaml`,
      content: kustomizationYaml(openebsResources),
    },
  );

  // Velero
  const veleroApp = `${P.velero}/app`;
  files.push(
    {
      path: `${P.velero}/ks.yaml`,
      content: yamlFile(
        fluxKs(
          PLAN.flux.veleroKustomization,
          veleroApp,
          spec.velero.namespace,
          [PLAN.flux.openebsKustomization],
        ),
      ),
    },
    {
      path: `${veleroApp}/kustomization.yaml`,
      content: kustomizationYaml([
        './namespace.yaml',
        `./${secretFile}`,
        './helmrepository.yaml',
        './helmrelease.yaml',
        './resource-policy.yaml',
        './grafana-dashboard.yaml',
      ]),
    },
    {
      path: `${veleroApp}/namespace.yaml`,
      content: yamlFile({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: spec.velero.namespace },
      }),
    },
    {
      path: `${veleroApp}/helmrepository.yaml`,
      content: yamlFile(
        helmRepository('vmware-tanzu', PLATFORM_CHARTS.velero.repository),
      ),
    },
    {
      path: `${veleroApp}/helmrelease.yaml`,
      content: yamlFile(
        helmRelease('velero', PLATFORM_CHARTS.velero, 'vmware-tanzu', {
          initContainers: [
            {
              name: 'velero-plugin-for-aws',
              image: spec.velero.awsPluginImage,
              imagePullPolicy: 'IfNotPresent',
              // It only copies the plugin binary; a limit all the same (NFR-SCALE-001).
              resources: {
                requests: { cpu: '10m', memory: '32Mi' },
                limits: { memory: '128Mi' },
              },
              volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
            },
          ],
          resources: resources(
            spec.velero.memoryRequest,
            spec.velero.memoryLimit,
          ),
          configuration: {
            backupStorageLocation: [
              {
                name: 'default',
                provider: 'aws',
                bucket: spec.velero.bucket,
                default: true,
                credential: { name: spec.velero.secretName, key: 'cloud' },
                ...(spec.velero.caCert
                  ? {
                      caCert: Buffer.from(spec.velero.caCert, 'utf8').toString(
                        'base64',
                      ),
                    }
                  : {}),
                config: {
                  region: spec.velero.region,
                  s3ForcePathStyle: 'true',
                  s3Url: spec.velero.s3Url,
                  checksumAlgorithm: '',
                },
              },
            ],
            volumeSnapshotLocation: [],
            uploaderType: 'kopia',
            defaultVolumesToFsBackup: true,
            logFormat: 'json',
            logLevel: 'info',
          },
          credentials: {
            useSecret: true,
            existingSecret: spec.velero.secretName,
          },
          backupsEnabled: true,
          snapshotsEnabled: false,
          deployNodeAgent: true,
          nodeAgent: {
            resources: resources(
              spec.velero.memoryRequest,
              spec.velero.memoryLimit,
            ),
          },
          metrics: {
            enabled: true,
            serviceMonitor: { enabled: true },
            nodeAgentPodMonitor: { enabled: true },
            prometheusRule: { enabled: true, spec: VELERO_RULES },
          },
          schedules: {
            [PLAN.backup.scheduleName]: {
              disabled: false,
              schedule: PLAN.backup.schedule,
              useOwnerReferencesInBackup: false,
              template: {
                ttl: PLAN.backup.ttl,
                storageLocation: 'default',
                defaultVolumesToFsBackup: true,
                snapshotVolumes: false,
                resourcePolicy: {
                  kind: 'configmap',
                  name: VELERO_RESOURCE_POLICY,
                },
                labelSelector: {
                  matchLabels: { [PLAN.backup.label]: PLAN.backup.labelValue },
                },
              },
            },
          },
        }),
      ),
    },
    {
      // Velero reads the one key of the ConfigMap, whatever its name.
      path: `${veleroApp}/resource-policy.yaml`,
      content: yamlFile({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: VELERO_RESOURCE_POLICY },
        data: { 'policy.yaml': resourcePolicy() },
      }),
    },
    {
      path: `${veleroApp}/grafana-dashboard.yaml`,
      content: yamlFile({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'openebs-velero-dashboard',
          labels: { grafana_dashboard: '1' },
        },
        data: { 'openebs-velero.json': dashboard() },
      }),
    },
  );

  files.push(
    {
      path: `${P.openebsNs}/kustomization.yaml`,
      content: ensureResources(
        existing.openebsNs,
        ['./openebs/ks.yaml'],
        `${P.openebsNs}/kustomization.yaml`,
      ),
    },
    {
      path: `${P.veleroNs}/kustomization.yaml`,
      content: ensureResources(
        existing.veleroNs,
        ['./velero/ks.yaml'],
        `${P.veleroNs}/kustomization.yaml`,
      ),
    },
  );
  return {
    files: files.sort((a, b) => a.path.localeCompare(b.path)),
    secretPath: `${veleroApp}/${secretFile}`,
  };
}
