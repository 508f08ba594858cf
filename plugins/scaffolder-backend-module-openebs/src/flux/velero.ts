import { stringify } from 'yaml';
import {
  AppResource,
  containerResources,
  helmRelease,
  helmRepository,
  PLAN,
  yamlFile,
} from './manifests';
import { veleroAlertRules } from './monitoring';
import { PLATFORM_LABELS } from './platformEntity';
import { PLATFORM_CHARTS, PlatformSpec } from './platformSpec';

/** The Velero resource policy ConfigMap the platform's schedule uses. */
export const VELERO_RESOURCE_POLICY = 'velero-resource-policy';

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

/** The HelmRelease (and so Helm release) name: it prefixes the chart's objects. */
const VELERO_RELEASE = 'velero';

/** The chart's values: the S3 location, node-agent FSB, metrics and the daily schedule. */
function veleroValues(
  velero: PlatformSpec['velero'],
  monitoring: PlatformSpec['monitoring'],
): Record<string, unknown> {
  return {
    initContainers: [
      {
        name: 'velero-plugin-for-aws',
        image: velero.awsPluginImage,
        imagePullPolicy: 'IfNotPresent',
        // It only copies the plugin binary; a limit all the same (NFR-SCALE-001).
        resources: {
          requests: { cpu: '10m', memory: '32Mi' },
          limits: { memory: '128Mi' },
        },
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
      },
    ],
    resources: containerResources(velero.memoryRequest, velero.memoryLimit),
    configuration: {
      backupStorageLocation: [
        {
          name: 'default',
          provider: 'aws',
          bucket: velero.bucket,
          default: true,
          credential: { name: velero.secretName, key: 'cloud' },
          ...(velero.caCert
            ? { caCert: Buffer.from(velero.caCert, 'utf8').toString('base64') }
            : {}),
          config: {
            region: velero.region,
            s3ForcePathStyle: 'true',
            s3Url: velero.s3Url,
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
    credentials: { useSecret: true, existingSecret: velero.secretName },
    backupsEnabled: true,
    snapshotsEnabled: false,
    deployNodeAgent: true,
    // NFR-SCALE-001 for the chart's hook Jobs too: the CRD upgrade runs
    // Velero's own image, the CRD clean-up kubectl; neither has a limit by
    // default.
    upgradeJobResources: containerResources(
      velero.memoryRequest,
      velero.memoryLimit,
    ),
    kubectl: {
      resources: containerResources(velero.memoryRequest, velero.memoryLimit),
    },
    nodeAgent: {
      resources: containerResources(velero.memoryRequest, velero.memoryLimit),
    },
    // autodetect: the chart renders its monitors and rules only when the
    // Prometheus Operator's CRDs are served, so Velero installs (and the
    // workloads that depend on it reconcile) on a cluster without them.
    metrics: {
      enabled: true,
      serviceMonitor: monitorValues(monitoring),
      nodeAgentPodMonitor: monitorValues(monitoring),
      prometheusRule: {
        ...monitorValues(monitoring),
        spec: veleroAlertRules({
          veleroNamespace: velero.namespace,
          // The chart names its schedules `<release>-<name>`.
          schedules: [
            {
              name: `${VELERO_RELEASE}-${PLAN.backup.scheduleName}`,
              cron: PLAN.backup.schedule,
            },
          ],
          grace: monitoring.scheduleGrace,
        }),
      },
    },
    schedules: {
      [PLAN.backup.scheduleName]: {
        disabled: false,
        schedule: PLAN.backup.schedule,
        useOwnerReferencesInBackup: false,
        template: {
          ttl: PLAN.backup.ttl,
          storageLocation: 'default',
          excludedResources: [...PLAN.backup.excludedResources],
          defaultVolumesToFsBackup: true,
          snapshotVolumes: false,
          resourcePolicy: { kind: 'configmap', name: VELERO_RESOURCE_POLICY },
          labelSelector: {
            matchLabels: { [PLAN.backup.label]: PLAN.backup.labelValue },
          },
        },
      },
    },
  };
}

/**
 * The Kopia repository password Velero encrypts every file-system backup
 * with. Velero creates this Secret with a password built into every Velero
 * (`static-passw0rd`) when it finds none; the platform brings its own,
 * random and SOPS-encrypted, applied before the chart installs Velero.
 */
export const VELERO_REPO_CREDENTIALS = {
  name: 'velero-repo-credentials',
  key: 'repository-password',
  file: 'velero-repo-credentials.sops.yaml',
} as const;

/**
 * Velero in its namespace, with the S3 credentials Secret `secretFile` and
 * the repository password (listed only: openebs:sops:encrypt writes both)
 * and its resource policy.
 */
export function veleroResources(
  spec: PlatformSpec,
  secretFile: string,
): AppResource[] {
  return [
    {
      file: 'namespace.yaml',
      content: yamlFile({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: spec.velero.namespace },
      }),
    },
    { file: secretFile },
    { file: VELERO_REPO_CREDENTIALS.file },
    {
      file: 'helmrepository.yaml',
      content: yamlFile(
        helmRepository('vmware-tanzu', PLATFORM_CHARTS.velero.repository),
      ),
    },
    {
      file: 'helmrelease.yaml',
      content: yamlFile(
        helmRelease({
          name: VELERO_RELEASE,
          chart: { helmRepository: 'vmware-tanzu', ...PLATFORM_CHARTS.velero },
          replaceCrds: true,
          labels: PLATFORM_LABELS,
          values: veleroValues(spec.velero, spec.monitoring),
        }),
      ),
    },
    {
      // Velero reads the one key of the ConfigMap, whatever its name.
      file: 'resource-policy.yaml',
      content: yamlFile({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: VELERO_RESOURCE_POLICY },
        data: { 'policy.yaml': resourcePolicy() },
      }),
    },
  ];
}

function monitorValues({ enabled, labels }: PlatformSpec['monitoring']) {
  return {
    enabled,
    autodetect: true,
    ...(Object.keys(labels).length ? { additionalLabels: labels } : {}),
  };
}
