/*
 * A CloudNativePG Cluster as a team keeps it in Git, and the portal's plan
 * for it: what the CloudNativePG manifest edits are tested on.
 */
import { stringify } from 'yaml';
import type { RepositoryText } from '../flux/claimClass';
import type { CnpgReplicaPlan } from '../flux/cnpgReplica';

export const DIR = 'kubernetes/apps/orders';

/** The existing Cluster as a team keeps it in Git: comments, another document. */
export const ORDERS = `# The orders database.
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: orders
  namespace: orders
spec:
  instances: 1 # one is enough here
  storage:
    size: 1Gi
    storageClass: legacy-nfs
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: orders-settings
data:
  keep: "me"
`;

export const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
# Listed by hand.
resources:
  - orders.yaml
`;

export const external = {
  name: 'orders-openebs',
  connectionParameters: {
    host: 'orders-openebs-rw',
    user: 'streaming_replica',
  },
};

export const plan: CnpgReplicaPlan = {
  namespace: 'orders',
  cluster: 'orders',
  target: { name: 'orders-openebs', storageClass: 'openebs-localpv-hostpath' },
  existingPatch: stringify({
    spec: {
      replica: { primary: 'orders', source: 'orders-openebs' },
      externalClusters: [external],
    },
  }),
  replicaCluster: stringify({
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: 'orders-openebs', namespace: 'orders' },
    spec: {
      instances: 1,
      storage: { size: '1Gi', storageClass: 'openebs-localpv-hostpath' },
      bootstrap: { pg_basebackup: { source: 'orders' } },
      replica: { primary: 'orders', source: 'orders' },
    },
  }),
};

export const repository = (): RepositoryText[] => [
  { path: `${DIR}/orders.yaml`, content: ORDERS },
  { path: `${DIR}/kustomization.yaml`, content: KUSTOMIZATION },
];

/** The repository with the result's files written over it. */
export function applied(files: RepositoryText[], changed: RepositoryText[]) {
  const byPath = new Map(files.map(f => [f.path, f.content]));
  changed.forEach(f => byPath.set(f.path, f.content));
  return [...byPath].map(([path, content]) => ({ path, content }));
}
