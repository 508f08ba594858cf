import { stringify } from 'yaml';
import { DatabaseHooks, databaseHookAnnotations } from './databaseHooks';
import {
  API,
  AppResource,
  containerResources,
  helmRelease,
  helmRepository,
  Manifest,
  yamlFile,
} from './manifests';
import {
  ContainerSpec,
  HelmChartSpec,
  KUBERNETES_ID_LABEL,
  WorkloadSpec,
  workloadLabels,
} from './workloadSpec';

// The app directory of a workload: a chart's source and HelmRelease, or a
// StatefulSet and its headless Service.

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge; `over` wins. */
function mergeValues(
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

/** `{ a: { b: value } }` for the path `a.b`. */
function atPath(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((acc, key) => ({ [key]: acc }), value) as Record<
    string,
    unknown
  >;
}

/**
 * The chart's source (HelmRepository, or OCIRepository for `oci://`) and its
 * HelmRelease. The persistence values, at the chart's own path, win over the
 * given values: the class and size are the workload's.
 */
export function helmAppResources(
  spec: WorkloadSpec,
  chart: HelmChartSpec,
): AppResource[] {
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
    : helmRepository(spec.name, chart.repository);
  const persistence = atPath(chart.persistenceValuesPath || 'persistence', {
    enabled: true,
    storageClass: spec.storage.className,
    size: spec.storage.size,
  });
  const release = helmRelease({
    name: spec.name,
    chart: oci
      ? { ociRepository: spec.name }
      : { helmRepository: spec.name, name: chart.name, version: chart.version },
    // Every object the chart renders carries the entity's id (the Kubernetes
    // plugin's lookup); the pods also carry the backup label, and the
    // Storage tab finds volumes through the entity's pods.
    labels: { [KUBERNETES_ID_LABEL]: spec.name },
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
            ...(spec.database ? [databaseHooksPatch(spec.database)] : []),
          ],
        },
      },
    ],
    values: mergeValues(chart.values ?? {}, persistence),
  });
  const sourceFile = oci ? 'ocirepository.yaml' : 'helmrepository.yaml';
  return [
    { file: sourceFile, content: yamlFile(source) },
    { file: 'helmrelease.yaml', content: yamlFile(release) },
  ];
}

/**
 * The database's hook annotations on the chart's StatefulSets' pods: a
 * strategic merge, so the chart's own annotations stay (a JSON patch `add`
 * of the whole map would replace them).
 */
function databaseHooksPatch(hooks: DatabaseHooks) {
  return {
    target: { group: 'apps', kind: 'StatefulSet' },
    patch: stringify(
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        // Ignored: the target selects every StatefulSet of the chart.
        metadata: { name: 'database' },
        spec: {
          template: {
            metadata: { annotations: databaseHookAnnotations(hooks) },
          },
        },
      },
      { lineWidth: 0, singleQuote: true },
    ),
  };
}

function yamlPatch(ops: unknown[]): string {
  return stringify(ops, { lineWidth: 0, singleQuote: true });
}

/** A StatefulSet with one volume claim template of the workload's class, and its headless Service. */
export function statefulSetAppResources(
  spec: WorkloadSpec,
  c: ContainerSpec,
): AppResource[] {
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
  container.resources = containerResources(
    c.memoryRequest ?? '128Mi',
    c.memoryLimit ?? '256Mi',
  );
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
        metadata: {
          labels,
          ...(spec.database
            ? { annotations: databaseHookAnnotations(spec.database) }
            : {}),
        },
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
