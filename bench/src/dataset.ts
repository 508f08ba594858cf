import { Entity } from '@backstage/catalog-model';
import { fixtures } from '@openebs-portal/lab-testkit';

/*
 * The benchmark's cluster: 250 namespaces × 20 claims (5,000 PVCs, each bound
 * to a local PV pinned to one of 4 nodes), one pod per pair of claims and, as
 * in most clusters, nine times as many pods that mount no claim, and 4
 * Velero backups per claim (20,000 Backups, each with the PodVolumeBackup of
 * that claim). Manifests come from the plugin's test fixtures, so the objects
 * have exactly the shape the backend's tests use.
 */

export const DATASET = Object.freeze({
  /** Bump when the shape changes: the loader then reloads. */
  version: 'v2',
  namespaces: 250,
  claimsPerNamespace: 20,
  claimsPerPod: 2,
  /** Stateless pods (web, workers) beside the 10 pods with claims. */
  podsWithoutClaimPerNamespace: 90,
  backupsPerClaim: 4,
  nodes: 4,
});

export const DATASET_LABEL = 'bench.openebs-portal.io/dataset';
export const MARKER = {
  namespace: 'default',
  name: 'openebs-portal-bench-dataset',
};

export const expectedCounts = {
  namespaces: DATASET.namespaces,
  claims: DATASET.namespaces * DATASET.claimsPerNamespace,
  volumes: DATASET.namespaces * DATASET.claimsPerNamespace,
  pods:
    DATASET.namespaces *
    (DATASET.claimsPerNamespace / DATASET.claimsPerPod +
      DATASET.podsWithoutClaimPerNamespace),
  backups:
    DATASET.namespaces * DATASET.claimsPerNamespace * DATASET.backupsPerClaim,
  podVolumeBackups:
    DATASET.namespaces * DATASET.claimsPerNamespace * DATASET.backupsPerClaim,
  schedules: 3,
  storageLocations: 1,
};

/**
 * Which of the bench clusters this process writes (BENCH_CLUSTER, 1 by
 * default). Each cluster holds the same dataset under its own names
 * (bench-ns-042, bench-c2-ns-042, …), as separate clusters of one
 * organisation would: the measured entities are cluster 1's, so the others
 * add objects to watch and scan, not volumes to the answer.
 */
export const CLUSTER_INDEX = Number(process.env.BENCH_CLUSTER ?? 1);
const PREFIX = CLUSTER_INDEX === 1 ? 'bench' : `bench-c${CLUSTER_INDEX}`;

const pad = (n: number, width = 3) => String(n).padStart(width, '0');
export const namespaceName = (i: number) => `${PREFIX}-ns-${pad(i)}`;
export const entityId = (i: number) => `${PREFIX}-app-${pad(i)}`;
const claimName = (c: number) => `data-${pad(c, 2)}`;
const podName = (p: number) => `app-${p}`;
const nodeName = (i: number, p: number) =>
  `bench-node-${((i * 10 + p) % DATASET.nodes) + 1}`;
// Fixture builders type their labels narrowly; the manifests are plain JSON.
const withDatasetLabel = <T extends { metadata: object }>(m: T): T => {
  const metadata = m.metadata as {
    labels?: Record<string, string | undefined>;
  };
  metadata.labels = { ...metadata.labels, [DATASET_LABEL]: DATASET.version };
  return m;
};

/** Cluster-wide objects: storage classes, the backup location, schedules. */
export function clusterObjects(): any[] {
  return [
    ...fixtures.storageClasses(),
    fixtures.storageLocation({ name: 'default', phase: 'Available' }),
    fixtures.schedule({ name: 'bench-daily', namespaces: [`${PREFIX}-ns-*`] }),
    fixtures.schedule({
      name: 'bench-weekly',
      namespaces: [`${PREFIX}-ns-0*`],
    }),
    fixtures.schedule({
      name: 'bench-paused',
      namespaces: [`${PREFIX}-ns-1*`],
      paused: true,
    }),
  ].map(withDatasetLabel);
}

/** The owner of every measured entity, and of the namespaces they live in. */
const OWNER = 'group:default/team-bench';

/**
 * The namespaces, annotated with their owner as the platform's GitOps records
 * it (openebs-portal.dev/owner): the storage endpoint attributes each
 * namespace to it, as in production. The loader creates objects that are
 * missing and leaves existing ones as they are, so a lab loaded before the
 * annotation keeps unowned namespaces (their volumes are still shown);
 * BENCH_FRESH=1 reloads with it.
 */
export function namespaces(): any[] {
  return Array.from({ length: DATASET.namespaces }, (_, i) =>
    withDatasetLabel(fixtures.namespace(namespaceName(i), OWNER)),
  );
}

export interface ClaimSpec {
  namespaceIndex: number;
  claimIndex: number;
  namespace: string;
  name: string;
  podName: string;
  claim: any;
  volume: any;
}

/**
 * The claims of a namespace. Each pair shares a pod and a node; every fifth
 * pair is on the LVM (CSI) class, the rest on hostpath. Claims carry the
 * entity's label as well (so the Kubernetes plugin's label query finds them);
 * the storage plugin also finds them through the pods.
 */
export function claimsOf(i: number): ClaimSpec[] {
  return Array.from({ length: DATASET.claimsPerNamespace }, (_, c) => {
    const p = Math.floor(c / DATASET.claimsPerPod);
    const lvm = p % 5 === 4;
    const { claim, volume } = fixtures.claim({
      namespace: namespaceName(i),
      name: claimName(c),
      storageClass: lvm ? 'openebs-localpv-device' : 'openebs-localpv-hostpath',
      labels: { 'backstage.io/kubernetes-id': entityId(i), app: 'bench' },
      size: c % 3 === 0 ? '5Gi' : '1Gi',
      node: nodeName(i, p),
      ...(lvm && { csiDriver: 'local.csi.openebs.io' }),
    });
    return {
      namespaceIndex: i,
      claimIndex: c,
      namespace: namespaceName(i),
      name: claimName(c),
      podName: podName(p),
      claim: withDatasetLabel(claim),
      volume: withDatasetLabel(volume as any),
    };
  });
}

/** The namespace's pods: those with claims, then the stateless ones. */
export function podsOf(i: number): any[] {
  const count = DATASET.claimsPerNamespace / DATASET.claimsPerPod;
  const stateless = Array.from(
    { length: DATASET.podsWithoutClaimPerNamespace },
    (_, p) =>
      withDatasetLabel(
        fixtures.pod({
          namespace: namespaceName(i),
          name: `web-5d9f8c7b6-${pad(p, 5)}`,
          labels: {
            'backstage.io/kubernetes-id': entityId(i),
            app: 'bench-web',
            'pod-template-hash': '5d9f8c7b6',
          },
          claims: [],
          nodeName: nodeName(i, p),
        }),
      ),
  );
  const withClaims = Array.from({ length: count }, (_, p) =>
    withDatasetLabel(
      fixtures.pod({
        namespace: namespaceName(i),
        name: podName(p),
        labels: { 'backstage.io/kubernetes-id': entityId(i), app: 'bench' },
        claims: Array.from({ length: DATASET.claimsPerPod }, (__, k) =>
          claimName(p * DATASET.claimsPerPod + k),
        ),
        nodeName: nodeName(i, p),
      }),
    ),
  );
  return [...withClaims, ...stateless];
}

export interface BackupSpec {
  backup: any;
  /** The PodVolumeBackup, once the Backup's uid is known. */
  podVolumeBackup(backupUid: string): any;
}

/**
 * The backups of one claim, newest first: three from the daily schedule
 * (every seventh claim's middle one partially failed, every fifth claim's
 * newest one over the 5-minute service level) and one manual backup.
 */
export function backupsOf(spec: ClaimSpec, claimUid: string): BackupSpec[] {
  return Array.from({ length: DATASET.backupsPerClaim }, (_, k) => {
    const manual = k === DATASET.backupsPerClaim - 1;
    const failed = k === 1 && spec.claimIndex % 7 === 0;
    const slow = k === 0 && spec.claimIndex % 5 === 0;
    const startedHoursAgo = 2 + 24 * k + (manual ? 7 : 0);
    const durationSeconds = slow
      ? 420
      : 30 + ((spec.namespaceIndex * 7 + spec.claimIndex * 13 + k) % 200);
    const name = `${manual ? 'manual' : 'bench-daily'}-${spec.namespace}-${
      spec.name
    }-${k}`;
    const backup = withDatasetLabel(
      fixtures.backup({
        name,
        namespaces: [spec.namespace],
        phase: failed ? 'PartiallyFailed' : 'Completed',
        ...(!manual && { schedule: 'bench-daily' }),
        startedHoursAgo,
        durationSeconds,
      }),
    );
    return {
      backup,
      podVolumeBackup: (backupUid: string) =>
        withDatasetLabel(
          fixtures.podVolumeBackup({
            name: `${name}-${spec.podName}`,
            backupName: name,
            backupUid,
            claimUid,
            claimName: spec.name,
            podNamespace: spec.namespace,
            podName: spec.podName,
            phase: failed ? 'Failed' : 'Completed',
            startedHoursAgo,
            durationSeconds: durationSeconds - 10,
            bytes: (1 + ((spec.claimIndex * 31 + k) % 64)) * 1048576,
            ...(failed && {
              message: 'pod volume backup failed: data path not found',
            }),
          }),
        ),
    };
  });
}

/** The namespace whose entity is measured (any one would do). */
export const TARGET_NAMESPACE_INDEX = 42;

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: OWNER, lifecycle: 'production' },
  };
}

/**
 * The measured entities: the same 20 claims, once with the namespace
 * annotation (an index lookup) and once without it (the selector is tried
 * against every pod and claim of the cluster: the worst case).
 */
export const ENTITIES = {
  namespaced: component(`${entityId(TARGET_NAMESPACE_INDEX)}`, {
    'backstage.io/kubernetes-id': entityId(TARGET_NAMESPACE_INDEX),
    'backstage.io/kubernetes-namespace': namespaceName(TARGET_NAMESPACE_INDEX),
  }),
  allNamespaces: component(
    `${entityId(TARGET_NAMESPACE_INDEX)}-all-namespaces`,
    {
      'backstage.io/kubernetes-id': entityId(TARGET_NAMESPACE_INDEX),
    },
  ),
};
