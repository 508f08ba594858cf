import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { parseDocument } from 'yaml';
import {
  DRILL_ANNOTATION,
  DRILL_VERIFY_ANNOTATION,
} from '@openebs-portal/plugin-openebs-storage-common';
import {
  API,
  appDirectory,
  ensureResources,
  fluxKustomization,
  GeneratedFile,
  Manifest,
  PLAN,
  yamlFile,
} from './manifests';
import { scheduleIntervalResource } from './monitoring';
import { helmAppResources, statefulSetAppResources } from './workloadApp';
import {
  KUBERNETES_ID_LABEL,
  usesPlatformSchedule,
  WorkloadSpec,
  workloadLabels,
  workloadPaths,
} from './workloadSpec';

// The workload's public names, for the action.
export { workloadPaths } from './workloadSpec';
export type { WorkloadSpec } from './workloadSpec';

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

/** The Velero Schedule covering the workload: FSB (node-agent + Kopia) of its pods' volumes. */
export function backupSchedule(spec: WorkloadSpec): Manifest {
  return {
    apiVersion: API.velero,
    kind: 'Schedule',
    metadata: {
      name: scheduleName(spec),
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
        excludedResources: [...PLAN.backup.excludedResources],
        defaultVolumesToFsBackup: true,
        snapshotVolumes: false,
        storageLocation: 'default',
        ttl: spec.backup.ttl,
      },
    },
  };
}

/** The name of the workload's own Velero Schedule (and of its metrics' `schedule` label). */
export function scheduleName(spec: WorkloadSpec): string {
  return `${spec.namespace}-${spec.name}`.slice(0, 63).replace(/-+$/, '');
}

/** The workload's entity in the Backstage catalog, found by the Kubernetes plugin by its id label. */
function catalogComponent(spec: WorkloadSpec): Manifest {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: spec.name,
      ...(spec.description ? { description: spec.description } : {}),
      annotations: {
        [KUBERNETES_ID_LABEL]: spec.name,
        'backstage.io/kubernetes-namespace': spec.namespace,
        // Drills prove the backups come back; the portal bounds how often.
        ...(spec.backup.enabled && spec.backup.drill
          ? { [DRILL_ANNOTATION]: spec.backup.drill }
          : {}),
        ...(spec.backup.enabled && spec.backup.drill && spec.backup.drillVerify
          ? { [DRILL_VERIFY_ANNOTATION]: spec.backup.drillVerify }
          : {}),
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
}

/**
 * All files of a workload: the Flux Kustomization(s), the app (chart source +
 * HelmRelease, or StatefulSet + Service), the Velero Schedule and the
 * catalog-info.yaml. Pure and deterministic: the same spec gives the same bytes.
 */
export function generateWorkload(spec: WorkloadSpec): GeneratedFile[] {
  const p = workloadPaths(spec.namespace, spec.name);
  const labels = workloadLabels(spec);
  const app =
    spec.workload.type === 'helm'
      ? helmAppResources(spec, spec.workload.chart)
      : statefulSetAppResources(spec, spec.workload.container);
  // A custom schedule or retention gets a Velero Schedule of its own; the
  // plan's default (daily 02:00 UTC, 720h) is the platform's schedule, which
  // selects the pods by label.
  const ownSchedule = spec.backup.enabled && !usesPlatformSchedule(spec.backup);

  const ks: Manifest[] = [
    fluxKustomization({
      name: spec.name,
      path: p.app,
      targetNamespace: spec.namespace,
      labels,
      dependsOn: [PLAN.flux.openebsKustomization],
      decryption: true,
      timeout: '5m',
      ...spec.flux,
    }),
  ];
  if (ownSchedule) {
    ks.push(
      fluxKustomization({
        name: `${spec.name}-backup`,
        path: p.backup,
        labels,
        dependsOn: [PLAN.flux.veleroKustomization, spec.name],
        decryption: false,
        timeout: '5m',
        ...spec.flux,
      }),
      // The schedule's interval for the platform's staleness alert: a rule
      // needs the Prometheus Operator's CRDs, so it is kept apart (and after
      // the platform's own rules), never holding up the app or its backups.
      fluxKustomization({
        name: `${spec.name}-monitoring`,
        path: p.monitoring,
        targetNamespace: spec.namespace,
        labels,
        dependsOn: [PLAN.flux.monitoringKustomization, `${spec.name}-backup`],
        decryption: false,
        timeout: '5m',
        ...spec.flux,
      }),
    );
  }
  const files: GeneratedFile[] = [
    { path: p.ks, content: yamlFile(...ks) },
    ...appDirectory(p.app, [
      ...(spec.secret ? [{ file: spec.secret.file }] : []),
      ...app,
    ]),
    ...(ownSchedule
      ? [
          ...appDirectory(p.backup, [
            {
              file: 'schedule.yaml',
              content: yamlFile(backupSchedule(spec)),
            },
          ]),
          ...appDirectory(p.monitoring, [
            scheduleIntervalResource({
              name: scheduleName(spec),
              cron: spec.backup.schedule,
            }),
          ]),
        ]
      : []),
    { path: p.catalogInfo, content: yamlFile(catalogComponent(spec)) },
  ];
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Flux deletes what leaves a Kustomization with `prune: true`; a namespace
 * that holds volumes is never deleted that way (a renamed or removed
 * kustomization entry would take the data with it).
 */
export const PRUNE_DISABLED = {
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
};

/**
 * The namespace's own files: namespace.yaml, annotated with its owner (see
 * NAMESPACE_OWNER_ANNOTATION) and kept from pruning, and a kustomization.yaml
 * listing every app's ks.yaml. Existing files of the repository are extended,
 * never replaced: a kustomization keeps its other entries and fields, a
 * namespace its labels and annotations; a namespace recorded as another
 * owner's is refused.
 */
export function namespaceFiles(
  namespace: string,
  name: string,
  owner: string,
  existing: {
    kustomization?: string;
    namespace?: string;
    appsKustomization?: string;
  } = {},
): GeneratedFile[] {
  const p = workloadPaths(namespace, name);
  const annotations = {
    [NAMESPACE_OWNER_ANNOTATION]: ownerEntityRef(owner),
    ...PRUNE_DISABLED,
  };
  return [
    {
      path: p.namespaceFile,
      content:
        existing.namespace === undefined
          ? yamlFile({
              apiVersion: 'v1',
              kind: 'Namespace',
              metadata: { name: namespace, annotations },
            })
          : mergeNamespace(existing.namespace, p.namespaceFile, annotations),
    },
    {
      path: p.nsKustomization,
      content: ensureResources(
        existing.kustomization,
        ['./namespace.yaml', `./${name}/ks.yaml`],
        p.nsKustomization,
      ),
    },
    // A new namespace's directory is listed where the repository lists its
    // namespaces; without that file Flux builds the tree whole, and one is
    // not created (it would leave the others out).
    ...(existing.appsKustomization === undefined
      ? []
      : [
          {
            path: p.appsKustomization,
            content: ensureResources(
              existing.appsKustomization,
              [`./${namespace}`],
              p.appsKustomization,
            ),
          },
        ]),
  ];
}

/** Adds the annotations an existing namespace.yaml lacks; refuses another owner's. */
function mergeNamespace(
  text: string,
  path: string,
  annotations: Record<string, string>,
): string {
  const doc = parseDocument(text);
  if (doc.errors.length || doc.get('kind') !== 'Namespace') {
    throw new InputError(
      `${path}: not a Namespace manifest, so it cannot be extended`,
    );
  }
  const owner = doc.getIn([
    'metadata',
    'annotations',
    NAMESPACE_OWNER_ANNOTATION,
  ]);
  const wanted = annotations[NAMESPACE_OWNER_ANNOTATION];
  if (owner !== undefined && owner !== wanted) {
    throw new NotAllowedError(
      `${path} records ${owner} as the namespace's owner: a workload of ${wanted} cannot be added to it`,
    );
  }
  for (const [key, value] of Object.entries(annotations)) {
    if (doc.getIn(['metadata', 'annotations', key]) === undefined) {
      doc.setIn(['metadata', 'annotations', key], value);
    }
  }
  const out = doc.toString({ lineWidth: 0, singleQuote: true });
  return out.startsWith('---') ? out : `---\n${out}`;
}
