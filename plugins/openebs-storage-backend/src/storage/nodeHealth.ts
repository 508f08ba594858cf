import { NodeHealth } from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { NodeRecord, PodRecord } from '../kubernetes/records';

/**
 * Whether the node a local volume's data lives on is alive, and which of
 * the volume's pods are stuck because it is not: a local volume's data
 * exists on that node only, so while the node is NotReady or gone nothing
 * reaches it, and its pods either hang on the node (Terminating, Unknown)
 * or stay Pending (a replacement pod is bound to the same node by the
 * volume's node affinity). `undefined` when there is no node to judge, or
 * the nodes could not be read (the cluster's errors say so).
 */
export function nodeHealthOf(
  node: string | undefined,
  nodes: { byName(name: string): NodeRecord | undefined } | undefined,
  pods: PodRecord[],
): NodeHealth | undefined {
  if (!node || !nodes) return undefined;
  const record = nodes.byName(node);
  if (record && record.ready === 'True') {
    return { state: 'ready', since: record.readySince, stuckPods: [] };
  }
  // Every pod of the volume: one on the node may still read Running (the
  // API shows the node's last report) until the node controller evicts it.
  const stuckPods = pods.map(p => p.name).sort();
  return record
    ? { state: 'not-ready', since: record.readySince, stuckPods }
    : { state: 'missing', stuckPods };
}

/**
 * Whether a node can still stop its pods and clean its disk: Ready, or not
 * known to be otherwise. Nodes that cannot be read count as alive, so that
 * nothing is force-deleted on a guess.
 */
export function nodeAlive(cache: ClusterCache, node: string | undefined) {
  const { nodes } = cache.reflectors;
  if (!node || !nodes.status.synced || nodes.status.error) return true;
  const [record] = nodes.store.byIndex('name', node);
  return record?.ready === 'True';
}
