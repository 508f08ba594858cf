/*
 * The faults the alerts story (alerts.spec.ts) makes on the full lab, made
 * for real and undone: Deployments scaled, the node-agent's rollout broken,
 * the bucket's files touched on the S3 server's disk, and a volume whose
 * filesystem is small enough to fill.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { applyList, claimAndPod, kubectl, stateEnv, backUp } from './fullLab';

export function scale(namespace: string, deployment: string, replicas: number) {
  kubectl([
    '-n',
    namespace,
    'scale',
    `deployment/${deployment}`,
    `--replicas=${replicas}`,
  ]);
}

export function replicasOf(namespace: string, deployment: string): number {
  return Number(
    kubectl([
      '-n',
      namespace,
      'get',
      'deployment',
      deployment,
      '-o',
      'jsonpath={.spec.replicas}',
    ]),
  );
}

/** The bucket's directory on the S3 server's disk. */
export function bucketDir(): string {
  return path.join(
    stateEnv('env-s3', 'LAB_S3_DATA'),
    stateEnv('env-s3', 'LAB_S3_BUCKET'),
  );
}

/**
 * A manual Backup of one namespace, waited for until Velero ends it in
 * `phase`. Kept an hour: Velero's garbage collection removes it after.
 */
export function backUpNamespace(
  name: string,
  namespace: string,
  phase: 'Completed' | 'Failed' | 'PartiallyFailed',
  spec: Record<string, unknown> = {},
) {
  backUp(
    name,
    {},
    {
      includedNamespaces: [namespace],
      storageLocation: 'default',
      ttl: '1h0m0s',
      ...spec,
    },
    phase,
    240,
  );
}

/** An image no node can pull: nothing listens on that registry's port. */
const UNPULLABLE = '127.0.0.1:1/velero/velero:unpullable';

/**
 * A bad upgrade of the node-agent: the DaemonSet replaces one agent at a
 * time, and the first replacement never starts.
 */
export function breakNodeAgentRollout() {
  kubectl([
    '-n',
    'velero',
    'set',
    'image',
    'daemonset/node-agent',
    `node-agent=${UNPULLABLE}`,
  ]);
}

/** The node whose agent the broken rollout replaced, once it has one. */
export function nodeOfBrokenAgent(): string | undefined {
  const pods = JSON.parse(
    kubectl([
      '-n',
      'velero',
      'get',
      'pods',
      '-l',
      'name=node-agent',
      '-o',
      'json',
    ]),
  ).items as Array<{
    spec: { nodeName?: string; containers: { image: string }[] };
  }>;
  return pods.find(p => p.spec.containers[0].image === UNPULLABLE)?.spec
    .nodeName;
}

export function undoNodeAgentRollout() {
  kubectl(['-n', 'velero', 'rollout', 'undo', 'daemonset/node-agent']);
  kubectl([
    '-n',
    'velero',
    'rollout',
    'status',
    'daemonset/node-agent',
    '--timeout=180s',
  ]);
}

/**
 * The node whose hostpath volumes get a small filesystem: an extra node,
 * whose /var/openebs/local is its own in its mount namespace
 * (lab/node/nodes.sh).
 */
const SMALL_FS_NODE = 'lab-node-2';
const SMALL_FS_MIB = 64;

function onNode(args: string[]) {
  execFileSync('nsenter', [
    `--mount=/run/openebs-lab/ns/${SMALL_FS_NODE}.mnt`,
    '--',
    ...args,
  ]);
}

/**
 * An OpenEBS hostpath volume (`data-0`, used by pod `use-0`) whose
 * directory on the node is a filesystem of its own, 64 MiB, as when the
 * class's BasePath is a small dedicated disk: the kubelet reports that
 * filesystem's space for the volume, as it does for every hostpath volume.
 * Returns the volume's directory on the node.
 */
export function volumeOnSmallFilesystem(namespace: string): string {
  const [claim, pod] = claimAndPod(namespace, 0) as [object, { spec: object }];
  const pinned = {
    ...pod,
    spec: {
      ...pod.spec,
      nodeSelector: { 'kubernetes.io/hostname': SMALL_FS_NODE },
    },
  };
  const podReady = () =>
    kubectl([
      '-n',
      namespace,
      'wait',
      '--for=condition=Ready',
      'pod/use-0',
      '--timeout=120s',
    ]);
  applyList([claim, pinned]);
  podReady();
  const volume = kubectl([
    '-n',
    namespace,
    'get',
    'pvc',
    'data-0',
    '-o',
    'jsonpath={.spec.volumeName}',
  ]);
  const dir = kubectl([
    'get',
    'pv',
    volume,
    '-o',
    'jsonpath={.spec.local.path}',
  ]);
  // The pod again, after the filesystem is mounted where its volume is.
  kubectl(['-n', namespace, 'delete', 'pod', 'use-0', '--wait=true']);
  onNode([
    'mount',
    '-t',
    'tmpfs',
    '-o',
    `size=${SMALL_FS_MIB}m`,
    'openebs-lab-small',
    dir,
  ]);
  applyList([pinned]);
  podReady();
  return dir;
}

/** Writes MiB of zeros to the volume of volumeOnSmallFilesystem. */
export function fillVolume(namespace: string, mib: number) {
  kubectl([
    '-n',
    namespace,
    'exec',
    'use-0',
    '--',
    'dd',
    'if=/dev/zero',
    'of=/data/fill',
    'bs=1048576',
    `count=${mib}`,
  ]);
}

export function removeSmallFilesystem(namespace: string, dir: string) {
  kubectl([
    '-n',
    namespace,
    'delete',
    'pod',
    'use-0',
    '--ignore-not-found',
    '--wait=true',
  ]);
  // The kubelet's teardown of the pod's bind mount may have taken the
  // filesystem with it already.
  onNode(['sh', '-c', 'if mountpoint -q "$1"; then umount "$1"; fi', '-', dir]);
  kubectl(['delete', 'namespace', namespace, '--wait=false']);
}
