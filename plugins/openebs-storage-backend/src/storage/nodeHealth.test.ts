import { NodeRecord, PodRecord } from '../kubernetes/records';
import { nodeHealthOf } from './nodeHealth';

const pod = (name: string): PodRecord => ({
  uid: name,
  namespace: 'shop',
  name,
  labels: {},
  nodeName: 'node-2',
  claimNames: ['data-db-0'],
  claimByVolume: {},
  phase: 'Running',
  terminating: false,
});

function nodes(...records: NodeRecord[]) {
  return { byName: (name: string) => records.find(n => n.name === name) };
}

/** node-2, its Ready condition `ready` since `since`. */
const node2 = (ready: string | undefined, since: string): NodeRecord => ({
  uid: '1',
  name: 'node-2',
  ready,
  readySince: since,
});

describe('nodeHealthOf', () => {
  const pods = [pod('db-1'), pod('db-0')];

  it('is ready with a Ready node, and names no stuck pod', () => {
    expect(
      nodeHealthOf(
        'node-2',
        nodes(node2('True', '2026-11-26T09:00:00Z')),
        pods,
      ),
    ).toEqual({ state: 'ready', since: '2026-11-26T09:00:00Z', stuckPods: [] });
  });

  it.each(['False', 'Unknown', undefined])(
    'is not-ready when Ready is %s, since the condition changed, every pod of the volume stuck',
    ready => {
      expect(
        nodeHealthOf(
          'node-2',
          nodes(node2(ready, '2026-11-26T11:40:00Z')),
          pods,
        ),
      ).toEqual({
        state: 'not-ready',
        since: '2026-11-26T11:40:00Z',
        stuckPods: ['db-0', 'db-1'],
      });
    },
  );

  it('is missing when no Node has that name', () => {
    expect(nodeHealthOf('node-2', nodes(), pods)).toEqual({
      state: 'missing',
      stuckPods: ['db-0', 'db-1'],
    });
  });

  it('says nothing without a node, or when the nodes could not be read', () => {
    expect(nodeHealthOf(undefined, nodes(), pods)).toBeUndefined();
    expect(nodeHealthOf('node-2', undefined, pods)).toBeUndefined();
  });
});
