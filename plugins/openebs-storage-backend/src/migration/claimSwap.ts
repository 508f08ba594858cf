import { KubeConfig } from '@kubernetes/client-node';
import { requestJson } from '../kubernetes/kubernetesRequest';

/*
 * The claim and volume calls of a migration, each one request to the API
 * server and safe to repeat. A claim keeps its name across the migration:
 * its volume changes underneath, by a claim of the same name created bound
 * to the other volume (`spec.volumeName`) after the volume is reserved for
 * it (`spec.claimRef` without a UID), which is how Kubernetes documents
 * binding a claim to a chosen volume.
 */

const e = encodeURIComponent;
const claimsPath = (namespace: string) =>
  `/api/v1/namespaces/${e(namespace)}/persistentvolumeclaims`;
const volumePath = (name: string) => `/api/v1/persistentvolumes/${e(name)}`;

/** A claim as the API server has it now. */
export interface LiveClaim {
  namespace: string;
  name: string;
  uid: string;
  phase: string;
  storageClass?: string;
  volumeName?: string;
  /** The bound capacity, else the request. */
  capacity: string;
  accessModes: string[];
  labels: Record<string, string>;
}

/** A persistent volume as the API server has it now. */
export interface LiveVolume {
  name: string;
  phase: string;
  storageClass?: string;
  reclaimPolicy?: string;
  /** The node of a node-local volume (its `kubernetes.io/hostname` affinity). */
  node?: string;
  claimRef?: { namespace?: string; name?: string; uid?: string };
}

export async function readClaim(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
): Promise<LiveClaim> {
  const raw = await requestJson<any>(
    kubeConfig,
    `${claimsPath(namespace)}/${e(name)}`,
  );
  return {
    namespace,
    name,
    uid: raw.metadata.uid,
    phase: raw.status?.phase ?? 'Pending',
    storageClass: raw.spec?.storageClassName ?? undefined,
    volumeName: raw.spec?.volumeName || undefined,
    capacity:
      raw.status?.capacity?.storage ?? raw.spec?.resources?.requests?.storage,
    accessModes: raw.spec?.accessModes ?? ['ReadWriteOnce'],
    labels: raw.metadata.labels ?? {},
  };
}

/** The claim, or undefined when there is none of that name. */
export async function findClaim(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
): Promise<LiveClaim | undefined> {
  try {
    return await readClaim(kubeConfig, namespace, name);
  } catch (error: any) {
    if (error.statusCode === 404) return undefined;
    throw error;
  }
}

export async function readVolume(
  kubeConfig: KubeConfig,
  name: string,
): Promise<LiveVolume> {
  const raw = await requestJson<any>(kubeConfig, volumePath(name));
  const terms = raw.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  const hostname = terms
    .flatMap((t: any) => t.matchExpressions ?? [])
    .find(
      (x: any) => x.key === 'kubernetes.io/hostname' && x.operator === 'In',
    );
  return {
    name,
    phase: raw.status?.phase ?? 'Pending',
    storageClass: raw.spec?.storageClassName || undefined,
    reclaimPolicy: raw.spec?.persistentVolumeReclaimPolicy,
    node: hostname?.values?.[0],
    claimRef: raw.spec?.claimRef,
  };
}

export async function setReclaimPolicy(
  kubeConfig: KubeConfig,
  name: string,
  policy: string,
): Promise<void> {
  await requestJson(kubeConfig, volumePath(name), {
    method: 'PATCH',
    contentType: 'application/merge-patch+json',
    body: { spec: { persistentVolumeReclaimPolicy: policy } },
  });
}

/**
 * Reserves a Released volume for a claim that does not exist yet: its
 * `claimRef` names the claim without a UID, so only a claim of that name
 * binds it, and the old claim's UID no longer holds it Released.
 */
export async function reserveVolumeFor(
  kubeConfig: KubeConfig,
  volume: string,
  namespace: string,
  claim: string,
): Promise<void> {
  await requestJson(kubeConfig, volumePath(volume), {
    method: 'PATCH',
    contentType: 'application/merge-patch+json',
    body: {
      spec: {
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          namespace,
          name: claim,
          uid: null,
          resourceVersion: null,
        },
      },
    },
  });
}

export interface NewClaim {
  namespace: string;
  name: string;
  storageClass: string;
  capacity: string;
  accessModes: string[];
  labels: Record<string, string>;
  /** Bind to this volume instead of provisioning one. */
  volumeName?: string;
}

/** Creates a claim; one of that name already there is kept. */
export async function createClaim(
  kubeConfig: KubeConfig,
  claim: NewClaim,
): Promise<void> {
  try {
    await requestJson(kubeConfig, claimsPath(claim.namespace), {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: claim.name, labels: claim.labels },
        spec: {
          storageClassName: claim.storageClass,
          accessModes: claim.accessModes,
          resources: { requests: { storage: claim.capacity } },
          ...(claim.volumeName && { volumeName: claim.volumeName }),
        },
      },
    });
  } catch (error: any) {
    if (error.statusCode !== 409) throw error;
  }
}
