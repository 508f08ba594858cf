import { InputError, NotAllowedError } from '@backstage/errors';
import {
  InPlacePlan,
  InPlaceRestore,
} from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { BackupRecord, PodRecord } from '../kubernetes/records';
import { podsMounting } from '../storage/EntityVolumes';
import { nodeAlive } from '../storage/nodeHealth';
import { isOfBackup } from './restoreContents';

/** The controllers whose replicas the portal can set through `/scale`. */
const SCALABLE = /^(StatefulSet|ReplicaSet)\//;

/** An in-place restore as planned from the caches, before the API is asked. */
export interface InPlaceTarget {
  /** What the preview shows. */
  plan: InPlacePlan;
  /** The pods' controllers, `StatefulSet/x` or `ReplicaSet/y` (resolved to its Deployment later). */
  controllers: string[];
  claims: InPlaceRestore['claims'];
}

/**
 * The controllers of the pods that mount some claims, which the portal
 * scales to zero and back; a pod no StatefulSet or Deployment runs (a bare
 * pod, a DaemonSet, a Job) is refused: nothing could stop it and start it
 * again. `refusal` begins the error; `otherwise` says what to do instead.
 */
export function controllersToScale(
  mounting: PodRecord[],
  refusal: string,
  otherwise: string,
): string[] {
  const unscalable = mounting.filter(
    pod => !pod.controller || !SCALABLE.test(pod.controller),
  );
  if (unscalable.length > 0) {
    throw new NotAllowedError(
      `${refusal}: ${unscalable
        .map(
          pod =>
            `pod ${pod.name} (${
              pod.controller ? `run by ${pod.controller}` : 'no controller'
            })`,
        )
        .join(
          ', ',
        )} is not run by a StatefulSet or Deployment, which the portal could scale to zero and back. Stop it yourself and ask again, or ${otherwise}.`,
    );
  }
  return [...new Set(mounting.map(pod => pod.controller!))].sort();
}

/**
 * Plans the steps around Velero for an in-place restore: which workloads
 * to stop and which claims to remove. Refuses what the portal cannot do
 * safely:
 *
 * - a pod mounting a claim that no StatefulSet or Deployment runs (a bare
 *   pod, a DaemonSet, a Job): nothing the portal can scale to zero and back;
 * - a pod that comes back from the backup with a claim not ticked: Velero
 *   restores a pod with every volume it backed up, and writes the backup
 *   into a claim that still exists. Every pod absent when the Restore runs
 *   comes back: those already gone, and those of the workloads stopped.
 */
export function planInPlace(
  cache: ClusterCache,
  backup: BackupRecord,
  namespace: string,
  volumes: string[],
): InPlaceTarget {
  const { claims, pods, volumes: pvs } = cache.reflectors;
  const mounting = volumes.flatMap(name =>
    podsMounting(cache, { namespace, name }),
  );
  const controllers = controllersToScale(
    mounting,
    'In-place restore refused',
    'restore into a new namespace',
  );
  checkNothingOverwritten(
    backedUpPods(cache, backup, namespace),
    pods.store.byIndex('namespace', namespace),
    controllers,
    volumes,
  );

  const present = volumes.flatMap(name =>
    claims.store.byIndex('name', `${namespace}/${name}`),
  );
  const onDeadNodes = present
    .filter(claim => {
      const [pv] = claim.volumeName
        ? pvs.store.byIndex('name', claim.volumeName)
        : [];
      return !nodeAlive(cache, pv?.node ?? claim.selectedNode);
    })
    .map(claim => claim.name);
  return {
    plan: {
      workloads: controllers,
      claimsRemoved: present.map(c => c.name).sort(),
      onDeadNodes: onDeadNodes.sort(),
    },
    controllers,
    claims: volumes.map(name => {
      const claim = present.find(c => c.name === name);
      return { name, uid: claim?.uid, volumeName: claim?.volumeName };
    }),
  };
}

/** Pod name → the claims its backed-up volumes belong to (file-system backups). */
function backedUpPods(
  cache: ClusterCache,
  backup: BackupRecord,
  namespace: string,
): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const record of cache.reflectors.podVolumeBackups.store.byIndex(
    'claimNamespace',
    namespace,
  )) {
    if (!isOfBackup(record, backup) || !record.podName || !record.claimName)
      continue;
    const claims = result.get(record.podName) ?? new Set<string>();
    claims.add(record.claimName);
    result.set(record.podName, claims);
  }
  return result;
}

function checkNothingOverwritten(
  backedUp: Map<string, Set<string>>,
  podsNow: PodRecord[],
  stopped: string[],
  volumes: string[],
) {
  const staysRunning = (podName: string) => {
    const pod = podsNow.find(p => p.name === podName);
    return pod !== undefined && !stopped.includes(pod.controller ?? '');
  };
  const overwritten = new Map<string, string[]>();
  for (const [podName, claims] of backedUp) {
    if (staysRunning(podName)) continue;
    const missing = [...claims].filter(c => !volumes.includes(c));
    if (missing.length > 0) overwritten.set(podName, missing.sort());
  }
  if (overwritten.size > 0) {
    const list = [...overwritten]
      .map(([pod, claims]) => `${claims.join(', ')} (pod ${pod})`)
      .join('; ');
    throw new InputError(
      `In-place restore refused: Velero brings a pod back with every volume it backed up and writes the backup into those volumes even where the claim still exists. Tick these too, or restore into a new namespace: ${list}.`,
    );
  }
}
