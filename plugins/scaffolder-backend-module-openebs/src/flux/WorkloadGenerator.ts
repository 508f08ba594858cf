import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { isSeq, parseDocument, stringify } from 'yaml';
import {
  API,
  GeneratedFile,
  kustomizationYaml,
  Manifest,
  PLAN,
  yamlFile,
} from './manifests';

export type StorageClassName =
  (typeof PLAN.storageClasses)[keyof typeof PLAN.storageClasses];

export type HelmChartSpec = {
  /** `https://...` (HelmRepository) or `oci://...` (OCIRepository) */
  repository: string;
  name: string;
  version: string;
  values?: Record<string, unknown>;
  /** Where the chart takes its persistence settings (`enabled`, `storageClass`, `size`). */
  persistenceValuesPath?: string;
};

export type ContainerSpec = {
  image: string;
  port?: number;
  replicas?: number;
  mountPath?: string;
  memoryRequest?: string;
  memoryLimit?: string;
};

export type WorkloadSpec = {
  name: string;
  namespace: string;
  owner: string;
  system?: string;
  description?: string;
  lifecycle?: string;
  storage: { className: StorageClassName; size: string };
  backup: { enabled: boolean; schedule: string; ttl: string };
  /** A SOPS-encrypted Secret (written by openebs:sops:encrypt) to deploy and, for containers, load as env. */
  secret?: { name: string; file: string };
  workload:
    | { type: 'helm'; chart: HelmChartSpec }
    | { type: 'statefulset'; container: ContainerSpec };
};

export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/**
 * The annotation on a workload's Namespace naming its owner, as a full entity
 * ref (`group:default/team-shop`; a label value cannot hold `:` or `/`). The
 * portal's storage backend reads it to decide who may restore into the
 * namespace; the platform's GitOps writes it (through the reviewed pull
 * request of the openebs-workload template), teams cannot.
 */
export const NAMESPACE_OWNER_ANNOTATION = 'openebs-portal.dev/owner';

/**
 * The owner as a full entity ref: a short `team-shop` (the OwnerPicker's
 * output may be one) becomes `group:default/team-shop`.
 */
export function ownerEntityRef(owner: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch (e) {
    throw new InputError(`owner: not an entity ref (${(e as Error).message})`);
  }
}

/** Whether the platform's daily schedule covers the workload (no Schedule of its own). */
export function usesPlatformSchedule(backup: WorkloadSpec['backup']): boolean {
  return (
    backup.enabled &&
    backup.schedule === PLAN.backup.schedule &&
    ['720h', '720h0m', '720h0m0s'].includes(backup.ttl)
  );
}

/** Labels on the workload's objects, pods and claim templates. */
export function workloadLabels(spec: WorkloadSpec): Record<string, string> {
  return {
    [KUBERNETES_ID_LABEL]: spec.name,
    ...(usesPlatformSchedule(spec.backup)
      ? { [PLAN.backup.label]: PLAN.backup.labelValue }
      : {}),
  };
}

/** The layout of one workload in the GitOps repository (AC-003-01). */
export function workloadPaths(namespace: string, name: string) {
  const nsDir = `kubernetes/apps/${namespace}`;
  const dir = `${nsDir}/${name}`;
  return {
    nsDir,
    nsKustomization: `${nsDir}/kustomization.yaml`,
    namespaceFile: `${nsDir}/namespace.yaml`,
    dir,
    ks: `${dir}/ks.yaml`,
    app: `${dir}/app`,
    backup: `${dir}/backup`,
    catalogInfo: `${dir}/catalog-info.yaml`,
  };
}

function fluxKustomization(opts: {
  name: string;
  path: string;
  targetNamespace?: string;
  dependsOn: string[];
  labels: Record<string, string>;
  decryption: boolean;
}): Manifest {
  const spec: Record<string, unknown> = {};
  if (opts.targetNamespace) spec.targetNamespace = opts.targetNamespace;
  spec.commonMetadata = { labels: opts.labels };
  spec.dependsOn = opts.dependsOn.map(name => ({
    name,
    namespace: PLAN.flux.namespace,
  }));
  spec.path = `./${opts.path}`;
  spec.prune = true;
  spec.sourceRef = {
    kind: 'GitRepository',
    name: PLAN.flux.gitRepository,
    namespace: PLAN.flux.namespace,
  };
  if (opts.decryption) {
    spec.decryption = {
      provider: 'sops',
      secretRef: { name: PLAN.flux.sopsSecret },
    };
  }
  spec.wait = true;
  spec.interval = '30m';
  spec.retryInterval = '1m';
  spec.timeout = '5m';
  return {
    apiVersion: API.kustomization,
    kind: 'Kustomization',
    metadata: { name: opts.name, namespace: PLAN.flux.namespace },
    spec,
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge; `over` wins. */
export function mergeValues(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] =
      isPlainObject(v) && isPlainObject(out[k])
        ? mergeValues(out[k] as Record<string, unknown>, v)
        : v;
  }
  return out;
}

function atPath(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((acc, key) => ({ [key]: acc }), value) as Record<
    string,
    unknown
  >;
}

function helmManifests(spec: WorkloadSpec, chart: HelmChartSpec) {
  const oci = chart.repository.startsWith('oci://');
  const source: Manifest = oci
    ? {
        apiVersion: API.source,
        kind: 'OCIRepository',
        metadata: { name: spec.name },
        spec: {
          interval: '1h',
          layerSelector: {
            mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
            operation: 'copy',
          },
          ref: { tag: chart.version },
          url: `${chart.repository.replace(/\/+$/, '')}/${chart.name}`,
        },
      }
    : {
        apiVersion: API.source,
        kind: 'HelmRepository',
        metadata: { name: spec.name },
        spec: { interval: '1h', url: chart.repository },
      };
  const persistence = atPath(chart.persistenceValuesPath || 'persistence', {
    enabled: true,
    storageClass: spec.storage.className,
    size: spec.storage.size,
  });
  const values = mergeValues(chart.values ?? {}, persistence);
  const release: Manifest = {
    apiVersion: API.helmRelease,
    kind: 'HelmRelease',
    metadata: { name: spec.name },
    spec: {
      ...(oci
        ? { chartRef: { kind: 'OCIRepository', name: spec.name } }
        : {
            chart: {
              spec: {
                chart: chart.name,
                version: chart.version,
                sourceRef: { kind: 'HelmRepository', name: spec.name },
              },
            },
          }),
      interval: '30m',
      install: { remediation: { retries: 3 } },
      upgrade: { cleanupOnFail: true, remediation: { retries: 3 } },
      // The Storage tab finds volumes through the entity's pods.
      postRenderers: [
        {
          kustomize: {
            patches: [
              {
                target: { group: 'apps', kind: '(StatefulSet|Deployment)' },
                patch: yamlPatch(
                  Object.entries(workloadLabels(spec)).map(([k, v]) => ({
                    op: 'add',
                    path: `/spec/template/metadata/labels/${k.replace(
                      '/',
                      '~1',
                    )}`,
                    value: v,
                  })),
                ),
              },
            ],
          },
        },
      ],
      values,
    },
  };
  const sourceFile = oci ? 'ocirepository.yaml' : 'helmrepository.yaml';
  return [
    { file: sourceFile, content: yamlFile(source) },
    { file: 'helmrelease.yaml', content: yamlFile(release) },
  ];
}

function yamlPatch(ops: unknown[]): string {
  return stringify(ops, { lineWidth: 0, singleQuote: true });
}

function statefulSetManifests(spec: WorkloadSpec, c: ContainerSpec) {
  const labels = {
    'app.kubernetes.io/name': spec.name,
    ...workloadLabels(spec),
  };
  const port = c.port ?? 8080;
  const container: Record<string, unknown> = {
    name: spec.name,
    image: c.image,
    ports: [{ name: 'http', containerPort: port }],
  };
  if (spec.secret) {
    container.envFrom = [{ secretRef: { name: spec.secret.name } }];
  }
  container.resources = {
    requests: { cpu: '50m', memory: c.memoryRequest ?? '128Mi' },
    limits: { memory: c.memoryLimit ?? '256Mi' },
  };
  container.volumeMounts = [
    { name: 'data', mountPath: c.mountPath ?? '/data' },
  ];
  const statefulSet: Manifest = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: spec.name, labels },
    spec: {
      serviceName: spec.name,
      replicas: c.replicas ?? 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': spec.name } },
      template: {
        metadata: { labels },
        spec: { containers: [container] },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: spec.storage.className,
            resources: { requests: { storage: spec.storage.size } },
          },
        },
      ],
    },
  };
  const service: Manifest = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: spec.name, labels },
    spec: {
      clusterIP: 'None',
      selector: { 'app.kubernetes.io/name': spec.name },
      ports: [{ name: 'http', port, targetPort: 'http' }],
    },
  };
  return [
    { file: 'service.yaml', content: yamlFile(service) },
    { file: 'statefulset.yaml', content: yamlFile(statefulSet) },
  ];
}

/** The Velero Schedule covering the workload: FSB (node-agent + Kopia) of its pods' volumes. */
export function backupSchedule(spec: WorkloadSpec): Manifest {
  return {
    apiVersion: API.velero,
    kind: 'Schedule',
    metadata: {
      name: `${spec.namespace}-${spec.name}`.slice(0, 63).replace(/-+$/, ''),
      namespace: PLAN.backup.veleroNamespace,
      labels: { [KUBERNETES_ID_LABEL]: spec.name },
    },
    spec: {
      schedule: spec.backup.schedule,
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: [spec.namespace],
        // Pods bring their PVCs and PVs into the backup.
        labelSelector: { matchLabels: { [KUBERNETES_ID_LABEL]: spec.name } },
        defaultVolumesToFsBackup: true,
        snapshotVolumes: false,
        storageLocation: 'default',
        ttl: spec.backup.ttl,
      },
    },
  };
}

/**
 * All files of a workload: the Flux Kustomization(s), the app (chart source +
 * HelmRelease, or StatefulSet + Service), the Velero Schedule and the
 * catalog-info.yaml. Pure and deterministic: the same spec gives the same bytes.
 */
export function generateWorkload(spec: WorkloadSpec): GeneratedFile[] {
  const p = workloadPaths(spec.namespace, spec.name);
  const labels = workloadLabels(spec);
  const appFiles =
    spec.workload.type === 'helm'
      ? helmManifests(spec, spec.workload.chart)
      : statefulSetManifests(spec, spec.workload.container);
  const appResources = [
    ...(spec.secret ? [spec.secret.file] : []),
    ...appFiles.map(f => f.file),
  ];

  const ks: Manifest[] = [
    fluxKustomization({
      name: spec.name,
      path: p.app,
      targetNamespace: spec.namespace,
      dependsOn: [PLAN.flux.openebsKustomization],
      labels,
      decryption: true,
    }),
  ];
  const files: GeneratedFile[] = [];
  // A custom schedule or retention gets a Velero Schedule of its own; the
  // plan's default (daily 02:00 UTC, 720h) is the platform's schedule, which
  // selects the pods by label.
  if (spec.backup.enabled && !usesPlatformSchedule(spec.backup)) {
    ks.push(
      fluxKustomization({
        name: `${spec.name}-backup`,
        path: p.backup,
        dependsOn: [PLAN.flux.veleroKustomization, spec.name],
        labels,
        decryption: false,
      }),
    );
    files.push(
      {
        path: `${p.backup}/kustomization.yaml`,
        content: kustomizationYaml(['./schedule.yaml']),
      },
      {
        path: `${p.backup}/schedule.yaml`,
        content: yamlFile(backupSchedule(spec)),
      },
    );
  }
  files.unshift(
    { path: p.ks, content: yamlFile(...ks) },
    {
      path: `${p.app}/kustomization.yaml`,
      content: kustomizationYaml(appResources.map(f => `./${f}`)),
    },
    ...appFiles.map(f => ({ path: `${p.app}/${f.file}`, content: f.content })),
  );

  const component: Manifest = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: spec.name,
      ...(spec.description ? { description: spec.description } : {}),
      annotations: {
        [KUBERNETES_ID_LABEL]: spec.name,
        'backstage.io/kubernetes-namespace': spec.namespace,
      },
      tags: ['openebs', 'velero'],
    },
    spec: {
      type: 'service',
      lifecycle: spec.lifecycle ?? 'production',
      owner: spec.owner,
      ...(spec.system ? { system: spec.system } : {}),
    },
  };
  files.push({ path: p.catalogInfo, content: yamlFile(component) });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * A kustomization.yaml listing `wanted` among its resources. An existing file
 * is edited in place: other entries, their order, comments and fields stay.
 */
export function ensureResources(
  existing: string | undefined,
  wanted: string[],
  path: string,
): string {
  if (existing === undefined) return kustomizationYaml(wanted);
  const doc = parseDocument(existing);
  if (doc.errors.length) {
    throw new Error(`${path}: not valid YAML (${doc.errors[0].message})`);
  }
  let seq = doc.get('resources');
  if (!isSeq(seq)) {
    seq = doc.createNode([]);
    doc.set('resources', seq);
  }
  const listed = (seq as any).toJSON().map(String) as string[];
  for (const r of wanted) {
    if (!listed.includes(r)) (seq as any).add(r);
  }
  const text = doc.toString({ lineWidth: 0, singleQuote: true });
  return text.startsWith('---') ? text : `---\n${text}`;
}

/**
 * The namespace's own files: namespace.yaml, annotated with its owner (see
 * NAMESPACE_OWNER_ANNOTATION), and a kustomization.yaml listing every app's
 * ks.yaml (an existing one is extended, see ensureResources).
 */
export function namespaceFiles(
  namespace: string,
  name: string,
  owner: string,
  existingKustomization?: string,
): GeneratedFile[] {
  const p = workloadPaths(namespace, name);
  return [
    {
      path: p.namespaceFile,
      content: yamlFile({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: namespace,
          annotations: { [NAMESPACE_OWNER_ANNOTATION]: ownerEntityRef(owner) },
        },
      }),
    },
    {
      path: p.nsKustomization,
      content: ensureResources(
        existingKustomization,
        ['./namespace.yaml', `./${name}/ks.yaml`],
        p.nsKustomization,
      ),
    },
  ];
}
