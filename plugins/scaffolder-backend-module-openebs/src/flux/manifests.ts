import { isSeq, parseDocument, stringify } from 'yaml';

/** The plan's fixed values (docs/requirements.md, "Platform rules the templates enforce"). */
export const PLAN = {
  storageClasses: {
    hostpath: 'openebs-localpv-hostpath',
    device: 'openebs-localpv-device',
  },
  backup: {
    schedule: '0 2 * * *',
    ttl: '720h0m0s',
    veleroNamespace: 'velero',
    s3Url: 'https://s3.68cc.io',
    bucket: 'openebs-backups',
    /** The platform's daily schedule backs up every pod carrying this label (FSB). */
    label: 'backup.openebs-portal.io/schedule',
    labelValue: 'daily',
    scheduleName: 'daily',
    /**
     * Kinds every schedule leaves out. Velero writes each backed-up object
     * into the bucket as plain JSON (only volume data is encrypted, by
     * Kopia), so a Secret there is readable by whoever reads the bucket.
     * Secrets come back from Git (SOPS) through Flux, and the portal's
     * restores never restore them.
     */
    excludedResources: ['secrets'],
  },
  memoryLimitMaxMi: 500,
  flux: {
    namespace: 'flux-system',
    gitRepository: 'flux-system',
    sopsSecret: 'sops-age',
    /** The Flux Kustomizations of the storage platform. */
    openebsKustomization: 'openebs',
    veleroKustomization: 'velero',
    /** The platform's alert rules (they need the Prometheus Operator's CRDs). */
    monitoringKustomization: 'openebs-monitoring',
  },
} as const;

/**
 * Whether a Velero TTL is the plan's 720h (30 days), as a person writes it or
 * as Velero prints it back (`720h0m0s`).
 */
export function isPlanBackupTtl(ttl: unknown): boolean {
  return ttl === '720h' || ttl === '720h0m' || ttl === '720h0m0s';
}

export const API = {
  kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  helmRelease: 'helm.toolkit.fluxcd.io/v2',
  source: 'source.toolkit.fluxcd.io/v1',
  kustomizeConfig: 'kustomize.config.k8s.io/v1beta1',
  velero: 'velero.io/v1',
  monitoring: 'monitoring.coreos.com/v1',
} as const;

const FLUX_SCHEMAS =
  'https://raw.githubusercontent.com/fluxcd-community/flux2-schemas/main';
const K8S_SCHEMAS =
  'https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/master-standalone-strict';
const CRD_SCHEMAS =
  'https://raw.githubusercontent.com/datreeio/CRDs-catalog/main';

/** yaml-language-server schema of each kind we write. */
export const SCHEMA_URL: Record<string, string> = {
  [`${API.kustomization}/Kustomization`]: `${FLUX_SCHEMAS}/kustomization-kustomize-v1.json`,
  [`${API.helmRelease}/HelmRelease`]: `${FLUX_SCHEMAS}/helmrelease-helm-v2.json`,
  [`${API.source}/HelmRepository`]: `${FLUX_SCHEMAS}/helmrepository-source-v1.json`,
  [`${API.source}/OCIRepository`]: `${FLUX_SCHEMAS}/ocirepository-source-v1.json`,
  [`${API.kustomizeConfig}/Kustomization`]:
    'https://json.schemastore.org/kustomization',
  'apps/v1/StatefulSet': `${K8S_SCHEMAS}/statefulset-apps-v1.json`,
  'v1/Service': `${K8S_SCHEMAS}/service-v1.json`,
  'v1/Namespace': `${K8S_SCHEMAS}/namespace-v1.json`,
  'v1/ConfigMap': `${K8S_SCHEMAS}/configmap-v1.json`,
  'storage.k8s.io/v1/StorageClass': `${K8S_SCHEMAS}/storageclass-storage-v1.json`,
  [`${API.velero}/Schedule`]: `${CRD_SCHEMAS}/velero.io/schedule_v1.json`,
  [`${API.monitoring}/ServiceMonitor`]: `${CRD_SCHEMAS}/monitoring.coreos.com/servicemonitor_v1.json`,
  [`${API.monitoring}/PodMonitor`]: `${CRD_SCHEMAS}/monitoring.coreos.com/podmonitor_v1.json`,
  [`${API.monitoring}/PrometheusRule`]: `${CRD_SCHEMAS}/monitoring.coreos.com/prometheusrule_v1.json`,
  'backstage.io/v1alpha1/Component':
    'https://raw.githubusercontent.com/backstage/backstage/master/packages/catalog-model/src/schema/kinds/Component.v1alpha1.schema.json',
};

export type Manifest = { apiVersion: string; kind: string } & Record<
  string,
  unknown
>;

/**
 * One YAML file in the repository's style: `---`, the yaml-language-server
 * schema line, two-space indent, keys in the order the object was built, no
 * line folding. Several documents are separated by `---`.
 */
export function yamlFile(...docs: Manifest[]): string {
  return docs
    .map(doc => {
      const schema = SCHEMA_URL[`${doc.apiVersion}/${doc.kind}`];
      return `---\n${
        schema ? `# yaml-language-server: $schema=${schema}\n` : ''
      }${stringify(doc, {
        lineWidth: 0,
        singleQuote: true,
        indent: 2,
        aliasDuplicateObjects: false,
      })}`;
    })
    .join('');
}

/** A Flux-style kustomization.yaml listing resources. */
export function kustomizationYaml(resources: string[]): string {
  return yamlFile({
    apiVersion: API.kustomizeConfig,
    kind: 'Kustomization',
    resources,
  });
}

export type GeneratedFile = { path: string; content: string };

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
 * One entry of an app directory's kustomization.yaml. An entry without
 * content is only listed: the SOPS-encrypted Secret, which
 * openebs:sops:encrypt writes after the generator.
 */
export type AppResource = { file: string; content?: string };

/** An app directory: its kustomization.yaml listing `resources` in order, and their files. */
export function appDirectory(
  dir: string,
  resources: AppResource[],
): GeneratedFile[] {
  return [
    {
      path: `${dir}/kustomization.yaml`,
      content: kustomizationYaml(resources.map(r => `./${r.file}`)),
    },
    ...resources.flatMap(({ file, content }) =>
      content === undefined ? [] : [{ path: `${dir}/${file}`, content }],
    ),
  ];
}

/**
 * Where kustomize-controller finds the cluster's age key: a Secret in the
 * Kustomization's own namespace (`spec.decryption.secretRef`), or the one
 * the controller was started with (`--sops-age-secret`, in its namespace),
 * which a Kustomization uses when it names none.
 */
export type SopsKeySource = { secret: string } | 'controller';

/**
 * A Flux Kustomization applying `path` from the cluster's GitRepository.
 * `decryption` lets Flux decrypt SOPS Secrets with the cluster's age key
 * (from `sopsKey`, by default the Secret `sops-age`).
 */
export function fluxKustomization(opts: {
  name: string;
  path: string;
  targetNamespace?: string;
  /** Labels Flux puts on every object it applies (commonMetadata). */
  labels?: Record<string, string>;
  /** Flux Kustomizations (in flux-system) that must be ready first. */
  dependsOn: string[];
  decryption: boolean;
  sopsKey?: SopsKeySource;
  /** How long Flux waits for the applied objects to become ready. */
  timeout: string;
  /** Apply as this service account (a tenant's), not as the controller. */
  serviceAccountName?: string;
  /** Leave metadata.namespace to the repository's layout (see WorkloadSpec.flux). */
  namespaceFromLayout?: boolean;
}): Manifest {
  const fluxRef = (name: string) => ({ name, namespace: PLAN.flux.namespace });
  return {
    apiVersion: API.kustomization,
    kind: 'Kustomization',
    metadata: opts.namespaceFromLayout
      ? { name: opts.name }
      : fluxRef(opts.name),
    spec: {
      ...(opts.serviceAccountName
        ? { serviceAccountName: opts.serviceAccountName }
        : {}),
      ...(opts.targetNamespace
        ? { targetNamespace: opts.targetNamespace }
        : {}),
      ...(opts.labels ? { commonMetadata: { labels: opts.labels } } : {}),
      ...(opts.dependsOn.length
        ? { dependsOn: opts.dependsOn.map(fluxRef) }
        : {}),
      path: `./${opts.path}`,
      prune: true,
      sourceRef: { kind: 'GitRepository', ...fluxRef(PLAN.flux.gitRepository) },
      ...(opts.decryption
        ? {
            decryption: {
              provider: 'sops',
              ...(opts.sopsKey === 'controller'
                ? {}
                : {
                    secretRef: {
                      name: opts.sopsKey?.secret ?? PLAN.flux.sopsSecret,
                    },
                  }),
            },
          }
        : {}),
      wait: true,
      interval: '30m',
      retryInterval: '1m',
      timeout: opts.timeout,
    },
  };
}

export function helmRepository(name: string, url: string): Manifest {
  return {
    apiVersion: API.source,
    kind: 'HelmRepository',
    metadata: { name },
    spec: { interval: '1h', url },
  };
}

/** A Flux HelmRelease, retried three times on a failed install or upgrade. */
export function helmRelease(opts: {
  name: string;
  /** A chart of a HelmRepository, or the one chart an OCIRepository holds. */
  chart:
    | { helmRepository: string; name: string; version: string }
    | { ociRepository: string };
  /**
   * Create and replace the chart's CRDs on install and upgrade: Flux's default
   * skips them on upgrade, which would leave a new chart on its old CRDs.
   */
  replaceCrds?: boolean;
  /**
   * Labels helm-controller puts on every object the chart renders
   * (`commonMetadata`, helm-controller v1.2 / Flux 2.5 and later).
   */
  labels?: Record<string, string>;
  postRenderers?: unknown[];
  values: Record<string, unknown>;
}): Manifest {
  const { chart } = opts;
  const crds = opts.replaceCrds ? { crds: 'CreateReplace' } : {};
  return {
    apiVersion: API.helmRelease,
    kind: 'HelmRelease',
    metadata: { name: opts.name },
    spec: {
      ...('ociRepository' in chart
        ? { chartRef: { kind: 'OCIRepository', name: chart.ociRepository } }
        : {
            chart: {
              spec: {
                chart: chart.name,
                version: chart.version,
                sourceRef: {
                  kind: 'HelmRepository',
                  name: chart.helmRepository,
                },
              },
            },
          }),
      interval: '30m',
      install: { ...crds, remediation: { retries: 3 } },
      upgrade: { cleanupOnFail: true, ...crds, remediation: { retries: 3 } },
      ...(opts.labels ? { commonMetadata: { labels: opts.labels } } : {}),
      ...(opts.postRenderers ? { postRenderers: opts.postRenderers } : {}),
      values: opts.values,
    },
  };
}

/**
 * A container's resources: a CPU and memory request, and a memory limit
 * (NFR-SCALE-001 bounds the storage control plane's).
 */
export function containerResources(memoryRequest: string, memoryLimit: string) {
  return {
    requests: { cpu: '50m', memory: memoryRequest },
    limits: { memory: memoryLimit },
  };
}
