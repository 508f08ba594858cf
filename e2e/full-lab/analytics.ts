/*
 * analytics (team-data's service, examples/entities.yaml) in the alert
 * stories: its volumes are claims labelled app=analytics in namespaces the
 * platform records as team-data's, as the workload template writes them.
 */
import { applyList, claimAndPod, kubectl, waitForPodReady } from './fullLab';

/** The labels the backend's per-entity gauges and alerts carry. */
export const ANALYTICS = { entity: 'component:default/analytics' };

/**
 * A new namespace owned by team-data with one volume of analytics (claim
 * `data-0`, used by pod `use-0`), ready; its name.
 */
export function analyticsVolume(prefix: string): string {
  const namespace = `${prefix}-${Date.now().toString(36)}`;
  kubectl(['create', 'namespace', namespace]);
  kubectl([
    'annotate',
    'namespace',
    namespace,
    'openebs-portal.dev/owner=group:default/team-data',
  ]);
  const labelled = claimAndPod(namespace, 0).map((o: any) => ({
    ...o,
    metadata: { ...o.metadata, labels: { app: 'analytics' } },
  }));
  applyList(labelled);
  waitForPodReady(namespace, 'use-0');
  return namespace;
}
