import { KubeConfig } from '@kubernetes/client-node';
import { TenancyConfig } from '../config';
import { requestJson } from '../kubernetes/kubernetesRequest';
import { deleteIfPresent } from '../kubernetes/workloadActions';
import { targetPatternsFor } from '../restore/restoreTarget';

/** Labels a drill's scratch namespace carries; the cleanup checks them. */
export const DRILL_LABELS = {
  drill: 'openebs-portal.dev/drill',
};

export const DENY_ALL_POLICY = 'openebs-drill-deny-all';

/**
 * The scratch namespace's name: the platform's first naming rule for
 * restores of the source (`{source}-restore-*` by default), its `*` being
 * `drill-` and the start of the drill's id, so the planner's own checks of
 * a restore target apply to drills unchanged.
 */
export function scratchNamespaceName(
  tenancy: TenancyConfig,
  source: string,
  drillId: string,
): string {
  const [pattern] = targetPatternsFor(tenancy, source);
  const suffix = `drill-${drillId.replace(/-/g, '').slice(0, 8)}`;
  return pattern.replace('*', suffix).slice(0, 63).replace(/-+$/, '');
}

/**
 * The namespace, recorded as the source owner's (so only that owner's
 * restores may use it) and labelled as the drill's; and a NetworkPolicy that
 * denies all traffic in and out, created before anything runs there, so a
 * restored application cannot reach production or be reached.
 */
export async function createScratchNamespace(
  kubeConfig: KubeConfig,
  options: {
    name: string;
    drillId: string;
    entityRef: string;
    owner?: string;
    ownerAnnotation: string;
  },
): Promise<void> {
  await createOrKeep(kubeConfig, '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: options.name,
      labels: { [DRILL_LABELS.drill]: options.drillId },
      annotations: {
        'openebs-portal.dev/entity-ref': options.entityRef,
        ...(options.owner && { [options.ownerAnnotation]: options.owner }),
      },
    },
  });
  await createOrKeep(
    kubeConfig,
    `/apis/networking.k8s.io/v1/namespaces/${options.name}/networkpolicies`,
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: DENY_ALL_POLICY, namespace: options.name },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
  );
}

/** POST, where 409 (made by an earlier pass of the same drill) is fine. */
async function createOrKeep(
  kubeConfig: KubeConfig,
  collection: string,
  body: unknown,
): Promise<void> {
  try {
    await requestJson(kubeConfig, collection, { method: 'POST', body });
  } catch (error: any) {
    if (error.statusCode !== 409) throw error;
  }
}

/**
 * Deletes the drill's scratch namespace, and only if it is that drill's:
 * a namespace of that name without the drill's label is left alone and
 * reported. True once it is gone (404); false while it terminates, so the
 * caller asks again on its next pass.
 */
export async function deleteScratchNamespace(
  kubeConfig: KubeConfig,
  name: string,
  drillId: string,
): Promise<boolean> {
  const path = `/api/v1/namespaces/${encodeURIComponent(name)}`;
  let namespace: any;
  try {
    namespace = await requestJson<any>(kubeConfig, path);
  } catch (error: any) {
    if (error.statusCode === 404) return true;
    throw error;
  }
  if (namespace.metadata?.labels?.[DRILL_LABELS.drill] !== drillId) {
    throw new Error(
      `Namespace ${name} is not drill ${drillId}'s (label ${DRILL_LABELS.drill}); left in place`,
    );
  }
  if (namespace.metadata?.deletionTimestamp) return false;
  await deleteIfPresent(kubeConfig, path, {
    preconditions: { uid: namespace.metadata.uid },
  });
  return false;
}
