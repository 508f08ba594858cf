import { KubeConfig } from '@kubernetes/client-node';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { InPlaceWorkload } from '@openebs-portal/plugin-openebs-storage-common';
import { requestJson } from './kubernetesRequest';

/*
 * The few changes an in-place restore makes to a namespace, each one call
 * to the API server, each safe to repeat (a pass of the tracker may run a
 * step again after a restart).
 */

const e = encodeURIComponent;

function workloadPath(namespace: string, workload: InPlaceWorkload): string {
  const plural =
    workload.kind === 'StatefulSet' ? 'statefulsets' : 'deployments';
  return `/apis/apps/v1/namespaces/${e(namespace)}/${plural}/${e(
    workload.name,
  )}`;
}

/** Runs a DELETE; an object already gone counts as deleted. */
export async function deleteIfPresent(
  kubeConfig: KubeConfig,
  path: string,
  body?: unknown,
): Promise<void> {
  try {
    await requestJson(kubeConfig, path, { method: 'DELETE', body });
  } catch (error: any) {
    if (error.statusCode !== 404) throw error;
  }
}

/**
 * The workload a pod controller belongs to: a StatefulSet itself, a
 * ReplicaSet's Deployment (scaling the ReplicaSet would be undone by it).
 */
export async function workloadOf(
  kubeConfig: KubeConfig,
  namespace: string,
  controller: string,
): Promise<Omit<InPlaceWorkload, 'replicas'>> {
  const [kind, name] = controller.split('/');
  if (kind === 'StatefulSet') return { kind, name };
  const replicaSet = await requestJson<any>(
    kubeConfig,
    `/apis/apps/v1/namespaces/${e(namespace)}/replicasets/${e(name)}`,
  );
  const owner = (replicaSet.metadata?.ownerReferences ?? []).find(
    (ref: any) => ref.controller && ref.kind === 'Deployment',
  );
  if (!owner) {
    throw new NotAllowedError(
      `ReplicaSet ${name} is not run by a Deployment: scale it to zero yourself and ask again, or restore into a new namespace`,
    );
  }
  return { kind: 'Deployment', name: owner.name };
}

/** The distinct workloads of some pod controllers (two ReplicaSets, one Deployment). */
export async function workloadsOf(
  kubeConfig: KubeConfig,
  namespace: string,
  controllers: string[],
): Promise<InPlaceWorkload[]> {
  const resolved = await Promise.all(
    controllers.map(c => workloadOf(kubeConfig, namespace, c)),
  );
  return resolved.filter(
    (w, i) =>
      resolved.findIndex(o => o.kind === w.kind && o.name === w.name) === i,
  );
}

export async function readReplicas(
  kubeConfig: KubeConfig,
  namespace: string,
  workload: InPlaceWorkload,
): Promise<{ wanted: number; ready: number }> {
  const object = await requestJson<any>(
    kubeConfig,
    workloadPath(namespace, workload),
  );
  return {
    wanted: object.spec?.replicas ?? 1,
    ready: object.status?.readyReplicas ?? 0,
  };
}

export async function setReplicas(
  kubeConfig: KubeConfig,
  namespace: string,
  workload: InPlaceWorkload,
  replicas: number,
): Promise<void> {
  await requestJson(kubeConfig, `${workloadPath(namespace, workload)}/scale`, {
    method: 'PATCH',
    contentType: 'application/merge-patch+json',
    body: { spec: { replicas } },
  });
}

/**
 * Deletes a pod. `force` skips the grace period: for a pod on a dead node,
 * whose kubelet can never confirm it stopped (what `kubectl delete
 * --force` does).
 */
export async function deletePod(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
  force: boolean,
): Promise<void> {
  await deleteIfPresent(
    kubeConfig,
    `/api/v1/namespaces/${e(namespace)}/pods/${e(name)}`,
    force ? { gracePeriodSeconds: 0 } : undefined,
  );
}

/**
 * Deletes a claim only if it is still the object the request was checked
 * against: a claim recreated since (same name, new UID) is refused by the
 * API server's precondition, never deleted.
 */
export async function deleteClaim(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
  uid: string,
): Promise<void> {
  try {
    await deleteIfPresent(
      kubeConfig,
      `/api/v1/namespaces/${e(namespace)}/persistentvolumeclaims/${e(name)}`,
      { preconditions: { uid } },
    );
  } catch (error: any) {
    if (error.statusCode === 409) {
      throw new ConflictError(
        `Claim ${name} was recreated since the request was checked; it was not deleted`,
      );
    }
    throw error;
  }
}

export async function deleteVolume(
  kubeConfig: KubeConfig,
  name: string,
): Promise<void> {
  await deleteIfPresent(kubeConfig, `/api/v1/persistentvolumes/${e(name)}`);
}

/** Creates a ConfigMap; one of the same name already there is kept. */
export async function createConfigMap(
  kubeConfig: KubeConfig,
  configMap: { metadata: { name: string; namespace: string } },
): Promise<void> {
  try {
    await requestJson(
      kubeConfig,
      `/api/v1/namespaces/${e(configMap.metadata.namespace)}/configmaps`,
      { method: 'POST', body: configMap },
    );
  } catch (error: any) {
    if (error.statusCode !== 409) throw error;
  }
}

/** Makes an object's garbage collection follow its owner's. */
export async function setConfigMapOwner(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
  owner: { apiVersion: string; kind: string; name: string; uid: string },
): Promise<void> {
  await requestJson(
    kubeConfig,
    `/api/v1/namespaces/${e(namespace)}/configmaps/${e(name)}`,
    {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { ownerReferences: [owner] } },
    },
  );
}
