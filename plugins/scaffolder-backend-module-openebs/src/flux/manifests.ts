import { stringify } from 'yaml';

/** The plan's fixed values (DESIGN.md, "Service levels and rules from the plan"). */
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
  },
  memoryLimitMaxMi: 500,
  flux: {
    namespace: 'flux-system',
    gitRepository: 'flux-system',
    sopsSecret: 'sops-age',
    /** The Flux Kustomizations of the storage platform. */
    openebsKustomization: 'openebs',
    veleroKustomization: 'velero',
  },
} as const;

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
