import {
  InPlaceRestore,
  InPlaceStep,
  InPlaceStepName,
  InPlaceWorkload,
} from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { workloadsOf } from '../kubernetes/workloadActions';
import { InPlaceTarget } from './inPlacePlan';

const names = (items: string[]) => (items.length ? items.join(', ') : 'none');

function workloadList(workloads: InPlaceWorkload[]): string {
  return names(workloads.map(w => `${w.kind}/${w.name}`));
}

/** What each step does, as the tab shows it before it runs. */
function describe(
  name: InPlaceStepName,
  workloads: InPlaceWorkload[],
  target: InPlaceTarget,
): string {
  switch (name) {
    case 'stop-workloads':
      return `Scale ${workloadList(
        workloads,
      )} to 0 and wait until no pod mounts the claims${
        target.plan.onDeadNodes.length
          ? ` (pods on a dead node are deleted: their kubelet cannot)`
          : ''
      }`;
    case 'remove-claims':
      return `Delete claim(s) ${names(target.plan.claimsRemoved)}${
        target.plan.onDeadNodes.length
          ? ` and the volumes of ${target.plan.onDeadNodes.join(
              ', ',
            )} on their dead node`
          : ''
      }`;
    case 'restore':
      return 'Create the Velero Restore and follow it to its end';
    case 'remove-restore-pods':
      return 'Delete the pods Velero ran to write the data back';
    default:
      return `Scale ${workloadList(
        workloads,
      )} back and wait until their pods are Ready`;
  }
}

export const IN_PLACE_STEPS: InPlaceStepName[] = [
  'stop-workloads',
  'remove-claims',
  'restore',
  'remove-restore-pods',
  'start-workloads',
];

/**
 * The record of a new in-place request: its pods' controllers resolved to
 * the workloads the portal scales (a ReplicaSet's Deployment), every step
 * pending. Replicas are read by the first step, just before it scales.
 */
export async function inPlaceRestoreOf(
  cache: ClusterCache,
  namespace: string,
  target: InPlaceTarget,
): Promise<InPlaceRestore> {
  const workloads = await workloadsOf(
    cache.kubeConfig,
    namespace,
    target.controllers,
  );
  const steps: InPlaceStep[] = IN_PLACE_STEPS.map(name => ({
    name,
    state: 'pending',
    detail: describe(name, workloads, target),
  }));
  return { workloads, claims: target.claims, steps };
}
