import { InPlaceWorkload } from '@openebs-portal/plugin-openebs-storage-common';
import { podsMounting } from '../storage/EntityVolumes';
import { nodeAlive } from '../storage/nodeHealth';
import { ClusterCache } from './ClusterCache';
import { deletePod, readReplicas, setReplicas } from './workloadActions';

/*
 * Stopping the workloads that mount some claims and starting them again:
 * the first and last steps of an in-place restore and of a migration. Each
 * call is one pass, safe to repeat; it says whether the step is done and,
 * if not, what it waits for.
 */

/** What a pass of a step found. */
export interface StepOutcome {
  done: boolean;
  waitingFor?: string;
}

/** The pods that mount any of the claims. */
export function podsMountingClaims(
  cache: ClusterCache,
  namespace: string,
  claims: string[],
) {
  return claims.flatMap(name => podsMounting(cache, { namespace, name }));
}

/**
 * Scales the workloads to 0 and waits until no pod mounts the claims. The
 * first pass only records each workload's replicas (in `workloads`, which
 * the caller saves) so that they are known before anything is scaled. A
 * pod on a dead node is deleted: its kubelet can never confirm it stopped.
 */
export async function stopWorkloads(
  cache: ClusterCache,
  namespace: string,
  workloads: InPlaceWorkload[],
  claims: string[],
): Promise<StepOutcome> {
  const unread = workloads.filter(w => w.replicas === undefined);
  if (unread.length > 0) {
    for (const workload of unread) {
      const { wanted } = await readReplicas(
        cache.kubeConfig,
        namespace,
        workload,
      );
      workload.replicas = wanted;
    }
    return { done: false, waitingFor: 'the replicas to be recorded' };
  }
  for (const workload of workloads) {
    const { wanted } = await readReplicas(
      cache.kubeConfig,
      namespace,
      workload,
    );
    if (wanted !== 0) {
      await setReplicas(cache.kubeConfig, namespace, workload, 0);
    }
  }
  const mounting = podsMountingClaims(cache, namespace, claims);
  for (const pod of mounting) {
    if (!nodeAlive(cache, pod.nodeName)) {
      await deletePod(cache.kubeConfig, namespace, pod.name, true);
    }
  }
  return {
    done: mounting.length === 0,
    waitingFor: `pods to stop: ${mounting.map(p => p.name).join(', ')}`,
  };
}

/** Scales the workloads back to their recorded replicas; done when Ready. */
export async function startWorkloads(
  cache: ClusterCache,
  namespace: string,
  workloads: InPlaceWorkload[],
): Promise<StepOutcome> {
  const notReady: string[] = [];
  for (const workload of workloads) {
    const replicas = workload.replicas ?? 1;
    const { wanted, ready } = await readReplicas(
      cache.kubeConfig,
      namespace,
      workload,
    );
    if (wanted !== replicas) {
      await setReplicas(cache.kubeConfig, namespace, workload, replicas);
    }
    if (ready < replicas) {
      notReady.push(
        `${workload.kind}/${workload.name} (${ready}/${replicas} Ready)`,
      );
    }
  }
  return { done: notReady.length === 0, waitingFor: notReady.join(', ') };
}
