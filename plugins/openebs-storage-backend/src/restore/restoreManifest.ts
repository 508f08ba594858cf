import { createHash } from 'crypto';
import { RestoreMode } from '@openebs-portal/plugin-openebs-storage-common';
import { LabelSelector } from '../entities/labelSelector';
import { PORTAL_LABELS, veleroLabelValue } from '../kubernetes/velero';

export interface RestoreManifestOptions {
  restoreName: string;
  veleroNamespace: string;
  requestId: string;
  requestedBy: string;
  entityRef: string;
  backupName: string;
  sourceNamespace: string;
  targetNamespace: string;
  mode: RestoreMode;
  volumes: string[];
  /** The entity's own selector: only its objects come back. */
  selector: LabelSelector;
}

/**
 * What Velero restores for an entity: its workloads and pods, and with the
 * pods their claims (Velero adds a pod's claims itself) and volumes. Pods are
 * what make file-system backup data come back: Velero writes the data
 * through a restore-wait init container in a pod it creates.
 */
export const RESTORED_RESOURCES = [
  'pods',
  'persistentvolumeclaims',
  'persistentvolumes',
  'statefulsets.apps',
  'deployments.apps',
  'replicasets.apps',
];

/** A deterministic Restore name: the same request can only create one. */
export function restoreNameFor(
  entityName: string,
  requestedBy: string,
  requestId: string,
): string {
  const digest = createHash('sha256')
    .update(`${requestedBy}\n${requestId}`)
    .digest('hex');
  const prefix = entityName
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${prefix || 'restore'}-restore-${digest.slice(0, 10)}`;
}

/** `user:default/alice` → `user.default.alice`, a valid label value. */
export function labelValueFor(ref: string): string {
  return ref
    .replace(/[^A-Za-z0-9_.-]/g, '.')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/**
 * The label an in-place restore's pods carry instead of their own: the
 * pods Velero runs to write the data back. Without their own labels the
 * stopped workload does not adopt them (it would delete them at zero
 * replicas, and the data would never arrive), and no Service sends them
 * traffic. The portal deletes them before it starts the workload again.
 */
export const RESTORE_POD_LABEL = PORTAL_LABELS.restorePod;

/**
 * The resource modifier of an in-place restore (a ConfigMap in Velero's
 * namespace, named as the Restore): every restored pod's labels replaced by
 * {@link RESTORE_POD_LABEL}.
 */
export function buildRestorePodModifier(options: {
  restoreName: string;
  veleroNamespace: string;
  namespace: string;
  requestId: string;
}) {
  const rules = {
    version: 'v1',
    resourceModifierRules: [
      {
        conditions: { groupResource: 'pods', namespaces: [options.namespace] },
        mergePatches: [
          { patchData: JSON.stringify({ metadata: { labels: null } }) },
          {
            patchData: JSON.stringify({
              metadata: {
                labels: {
                  [RESTORE_POD_LABEL]: veleroLabelValue(options.restoreName),
                },
              },
            }),
          },
        ],
      },
    ],
  };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: options.restoreName,
      namespace: options.veleroNamespace,
      labels: { [PORTAL_LABELS.requestId]: options.requestId },
    },
    // Velero reads the one key there is, whatever its name; JSON is YAML.
    data: { 'modifiers.yaml': JSON.stringify(rules) },
  };
}

/**
 * The Velero Restore, always of this fixed shape: one namespace, the entity's
 * label selector, no cluster-scoped resources but the claims' volumes, no
 * hooks, existing objects left alone, labels recording who asked. Its only
 * resource modifier is the server's own for in-place restores
 * ({@link buildRestorePodModifier}).
 *
 * `includeClusterResources` stays unset, not `false`: unset, Velero restores
 * only the cluster-scoped items that restored namespaced ones pull in (a
 * claim's PersistentVolume), and `includedResources` allows no other
 * cluster-scoped kind. `false` drops the PersistentVolumes too, and a claim
 * whose volume Velero never saw keeps its old `volumeName`: it stays Pending
 * for a volume that no longer exists, and the data never comes back (seen on
 * the full lab, lab/proof/run.sh). With the volume in the restore, Velero
 * clears the binding of a file-system-backed claim and the provisioner makes
 * a new volume for the data.
 */
export function buildRestoreManifest(options: RestoreManifestOptions) {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata: {
      name: options.restoreName,
      namespace: options.veleroNamespace,
      labels: {
        [PORTAL_LABELS.requestId]: options.requestId,
        [PORTAL_LABELS.requestedBy]: labelValueFor(options.requestedBy),
      },
      annotations: {
        'openebs-portal.dev/requested-by': options.requestedBy,
        'openebs-portal.dev/entity-ref': options.entityRef,
        'openebs-portal.dev/volumes': options.volumes.join(','),
        'openebs-portal.dev/mode': options.mode,
      },
    },
    spec: {
      backupName: options.backupName,
      includedNamespaces: [options.sourceNamespace],
      includedResources: RESTORED_RESOURCES,
      labelSelector: {
        matchExpressions: options.selector.map(requirement => ({
          key: requirement.key,
          operator: requirement.operator,
          ...('values' in requirement && { values: requirement.values }),
        })),
      },
      ...(options.mode === 'new-namespace' && {
        namespaceMapping: {
          [options.sourceNamespace]: options.targetNamespace,
        },
      }),
      ...(options.mode === 'in-place' && {
        resourceModifier: { kind: 'ConfigMap', name: options.restoreName },
      }),
      restorePVs: true,
      existingResourcePolicy: 'none',
    },
  };
}
