import { VolumeStatus } from '@openebs-portal/plugin-openebs-storage-common';
import { cnpgClustersOf } from './cnpgClusters';

const volume = (namespace: string, name: string) =>
  ({ namespace, name } as VolumeStatus);

/** A Cluster as CloudNativePG 1.30 reports one, archiving with the plugin. */
function cnpgCluster(
  name: string,
  overrides: { spec?: any; status?: any } = {},
) {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace: 'orders' },
    spec: {
      instances: 1,
      storage: { size: '1Gi', storageClass: 'openebs-localpv-hostpath' },
      plugins: [
        {
          name: 'barman-cloud.cloudnative-pg.io',
          isWALArchiver: true,
          parameters: { barmanObjectName: 'archive', serverName: `${name}-a` },
        },
      ],
      ...overrides.spec,
    },
    status: {
      readyInstances: 1,
      phase: 'Cluster in healthy state',
      currentPrimary: `${name}-1`,
      healthyPVC: [`${name}-1`],
      conditions: [
        {
          type: 'ContinuousArchiving',
          status: 'True',
          reason: 'ContinuousArchivingSuccess',
          message: 'Continuous archiving is working',
          lastTransitionTime: '2026-12-05T10:00:00Z',
        },
      ],
      ...overrides.status,
    },
  };
}

const archive = {
  metadata: { name: 'archive', namespace: 'orders' },
  status: {
    serverRecoveryWindow: {
      'orders-a': {
        firstRecoverabilityPoint: '2026-12-05T09:00:00Z',
        lastSuccessfulBackupTime: '2026-12-05T09:00:05Z',
      },
    },
  },
};

describe('cnpgClustersOf', () => {
  it('shows a cluster whose volume is the entity’s, with its archive’s window and condition', () => {
    const [orders] = cnpgClustersOf(
      'orders',
      [cnpgCluster('orders')],
      [archive],
      [volume('orders', 'orders-1')],
    );
    expect(orders).toEqual({
      namespace: 'orders',
      name: 'orders',
      instances: 1,
      readyInstances: 1,
      phase: 'Cluster in healthy state',
      phaseReason: undefined,
      currentPrimary: 'orders-1',
      storageClass: 'openebs-localpv-hostpath',
      claims: ['orders-1'],
      replicaOf: undefined,
      archive: {
        objectStore: 'archive',
        serverName: 'orders-a',
        archiving: {
          ok: true,
          message: 'Continuous archiving is working',
          since: '2026-12-05T10:00:00Z',
        },
        firstRecoverabilityPoint: '2026-12-05T09:00:00Z',
        lastSuccessfulBackup: '2026-12-05T09:00:05Z',
        lastFailedBackup: undefined,
      },
    });
  });

  it('leaves out clusters whose volumes are not the entity’s, or in another namespace', () => {
    expect(
      cnpgClustersOf(
        'orders',
        [cnpgCluster('orders'), cnpgCluster('billing')],
        [archive],
        [volume('orders', 'orders-1'), volume('other', 'billing-1')],
      ).map(c => c.name),
    ).toEqual(['orders']);
  });

  it('counts a cluster by any PVC CloudNativePG lists, and marks a replica cluster with what it follows', () => {
    const [replica] = cnpgClustersOf(
      'orders',
      [
        cnpgCluster('orders-openebs', {
          spec: {
            replica: {
              self: 'orders-openebs',
              primary: 'orders',
              source: 'orders',
            },
          },
          status: { healthyPVC: [], initializingPVC: ['orders-openebs-1'] },
        }),
      ],
      [],
      [volume('orders', 'orders-openebs-1')],
    );
    expect(replica.replicaOf).toBe('orders');
    expect(replica.claims).toEqual(['orders-openebs-1']);
    // Its folder has no window yet: the store is not in the namespace.
    expect(replica.archive).toMatchObject({
      objectStore: 'archive',
      serverName: 'orders-openebs-a',
      firstRecoverabilityPoint: undefined,
    });
    // Promoted: it is its own primary (`self` defaults to its name); the
    // old one, demoted, follows it.
    const [old, promoted] = cnpgClustersOf(
      'orders',
      [
        cnpgCluster('orders', {
          spec: {
            replica: { primary: 'orders-openebs', source: 'orders-openebs' },
          },
        }),
        cnpgCluster('orders-openebs', {
          spec: { replica: { primary: 'orders-openebs', source: 'orders' } },
        }),
      ],
      [],
      [volume('orders', 'orders-1'), volume('orders', 'orders-openebs-1')],
    );
    expect(old.replicaOf).toBe('orders-openebs');
    expect(promoted.replicaOf).toBeUndefined();
  });

  it('lists each claim once, from every list of the status, whether or not the entity has it', () => {
    const [orders] = cnpgClustersOf(
      'orders',
      [
        cnpgCluster('orders', {
          spec: { instances: 3 },
          status: {
            healthyPVC: ['orders-3', 'orders-1', 'orders-1-wal'],
            resizingPVC: ['orders-1'],
            danglingPVC: ['orders-2'],
          },
        }),
      ],
      [],
      [volume('orders', 'orders-1')],
    );
    expect(orders.claims).toEqual([
      'orders-1',
      'orders-1-wal',
      'orders-2',
      'orders-3',
    ]);
  });

  it('reports failing archiving with its message, and no archive for a cluster that archives nowhere', () => {
    const [failing, plain] = cnpgClustersOf(
      'orders',
      [
        cnpgCluster('a', {
          status: {
            healthyPVC: ['a-1'],
            conditions: [
              {
                type: 'ContinuousArchiving',
                status: 'False',
                message: 'unexpected failure invoking barman-cloud-wal-archive',
              },
            ],
          },
        }),
        cnpgCluster('b', { spec: { plugins: [] } }),
      ],
      [],
      [volume('orders', 'a-1'), volume('orders', 'b-1')],
    );
    expect(failing.archive?.archiving).toEqual({
      ok: false,
      message: 'unexpected failure invoking barman-cloud-wal-archive',
      since: undefined,
    });
    expect(plain.archive).toBeUndefined();
  });
});
