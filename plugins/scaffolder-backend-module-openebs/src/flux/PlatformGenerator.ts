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

/** Alerts for the plan's service levels (DESIGN.md). */
const VELERO_RULES = [
  {
    alert: 'VeleroBackupFailed',
    expr: 'increase(velero_backup_failure_total{schedule!=""}[1h]) > 0',
    labels: { severity: 'warning' },
    annotations: {
      summary: 'A scheduled Velero backup failed in the last hour',
    },
  },
  {
    alert: 'VeleroNoRecentBackup',
    expr: 'time() - velero_backup_last_successful_timestamp{schedule!=""} > 90000',
    labels: { severity: 'critical' },
    annotations: {
      summary: 'No successful scheduled backup for 25 hours (AC-002-02: daily)',
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
    expr: 'kube_deployment_status_replicas_available{deployment=~".*localpv-provisioner"} < 1',
    for: '5m',
    labels: { severity: 'critical' },
    annotations: {
      summary:
        'No OpenEBS LocalPV provisioner replica is available: new volumes stay Pending',
    },
  },
  {
    alert: 'OpenEBSVolumeClaimPending',
    expr: 'kube_persistentvolumeclaim_status_phase{phase="Pending"} == 1 and on (namespace, persistentvolumeclaim) kube_persistentvolumeclaim_info{storageclass=~"openebs-.*"}',
    for: '1m',
    labels: { severity: 'warning' },
    annotations: {
      summary:
        'An OpenEBS volume claim is not Bound after a minute (AC-001-01: 30 s)',
    },
  },
  {
    alert: 'OpenEBSVolumeAlmostFull',
    expr: 'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.1',
    for: '15m',
    labels: { severity: 'warning' },
    annotations: { summary: 'A volume has less than 10% free space' },
  },
];

function dashboard(): string {
  const panel = (id: number, title: string, expr: string, y: number) => ({
    id,
    title,
    type: 'timeseries',
    gridPos: { h: 8, w: 12, x: (id - 1) % 2 === 0 ? 0 : 12, y },
    datasource: { type: 'prometheus', uid: '${datasource}' },
    targets: [{ expr, refId: 'A' }],
  });
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
      panels: [
        panel(
          1,
          'Backups succeeded / failed per schedule',
          'sum by (schedule) (increase(velero_backup_success_total[1d])) or sum by (schedule) (increase(velero_backup_failure_total[1d]))',
          0,
        ),
        panel(
          2,
          'Hours since the last good backup',
          '(time() - velero_backup_last_successful_timestamp{schedule!=""}) / 3600',
          0,
        ),
        panel(
          3,
          'Backup duration p95 (s), SLO 300',
          'histogram_quantile(0.95, sum by (le, schedule) (rate(velero_backup_duration_seconds_bucket[1d])))',
          8,
        ),
        panel(
          4,
          'OpenEBS volume usage',
          '1 - kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes',
          8,
        ),
      ],
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
        helmRepository('openebs-localpv', PLATFORM_CHARTS.localpv.repository),
      ),
    },
    {
      path: `${openebsApp}/helmrelease.yaml`,
      content: yamlFile(
        helmRelease(
          'openebs-localpv',
          PLATFORM_CHARTS.localpv,
          'openebs-localpv',
          {
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
          },
        ),
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
