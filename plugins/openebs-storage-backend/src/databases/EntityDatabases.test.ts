import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import {
  ClusterStorage,
  EntityStorage,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { ClusterCaches } from '../kubernetes/ClusterCaches';
import { EntityDatabases } from './EntityDatabases';

/*
 * Our handling of the API server's answers (served, not served, forbidden),
 * against a stand-in HTTP server; the full lab's CloudNativePG story reads
 * real ones.
 */

type Answer = { status: number; body: unknown };

function apiServer(answers: Record<string, Answer>) {
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    asked.push(req.url!);
    const answer = answers[req.url!] ?? {
      status: 404,
      body: {
        kind: 'Status',
        message: 'the server could not find the requested resource',
      },
    };
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  return { server, asked };
}

function storageIn(namespace: string, claim: string): EntityStorage {
  return {
    entityRef: 'component:default/orders',
    clusters: [
      {
        cluster: 'lab',
        namespaces: [namespace],
        volumes: [{ namespace, name: claim } as VolumeStatus],
        schedules: [],
        storageLocations: [],
        errors: [],
      } as ClusterStorage,
    ],
  } as unknown as EntityStorage;
}

async function withApi<T>(
  answers: Record<string, Answer>,
  use: (databases: EntityDatabases) => Promise<T>,
  now?: () => number,
): Promise<{ result: T; asked: string[] }> {
  const { server, asked } = apiServer(answers);
  await new Promise<void>(resolve => server.listen(0, resolve));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: 'lab',
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        // client-node refuses plain HTTP unless told TLS is not checked.
        skipTLSVerify: true,
      },
    ],
    users: [{ name: 'portal', token: 'token' }],
    contexts: [{ name: 'lab', cluster: 'lab', user: 'portal' }],
    currentContext: 'lab',
  });
  const cache = { name: 'lab', kubeConfig } as unknown as ClusterCache;
  try {
    const result = await use(
      new EntityDatabases(new ClusterCaches([cache]), now),
    );
    return { result, asked };
  } finally {
    await new Promise(resolve => server.close(resolve));
  }
}

async function databasesFrom(answers: Record<string, Answer>) {
  const { result, asked } = await withApi(answers, databases =>
    databases.withDatabases(storageIn('orders', 'orders-1')),
  );
  return { cluster: result.clusters[0], asked };
}

const CLUSTERS = '/apis/postgresql.cnpg.io/v1/namespaces/orders/clusters';
const STORES = '/apis/barmancloud.cnpg.io/v1/namespaces/orders/objectstores';

describe('EntityDatabases', () => {
  it('adds the entity’s CloudNativePG clusters of its namespaces', async () => {
    const { cluster, asked } = await databasesFrom({
      [CLUSTERS]: {
        status: 200,
        body: {
          items: [
            {
              metadata: { name: 'orders', namespace: 'orders' },
              spec: { instances: 1 },
              status: { healthyPVC: ['orders-1'], readyInstances: 1 },
            },
          ],
        },
      },
      [STORES]: { status: 200, body: { items: [] } },
    });
    expect(cluster.databases?.map(d => d.name)).toEqual(['orders']);
    expect(cluster.errors).toEqual([]);
    expect(asked).toEqual([CLUSTERS, STORES]);
  });

  it('adds nothing where CloudNativePG’s API is not served, and lists no stores where there are no clusters', async () => {
    expect((await databasesFrom({})).cluster).not.toHaveProperty('databases');
    const { cluster, asked } = await databasesFrom({
      [CLUSTERS]: { status: 200, body: { items: [] } },
    });
    expect(cluster.databases).toEqual([]);
    expect(asked).toEqual([CLUSTERS]);
  });

  it('asks a cluster without CloudNativePG again only after a minute', async () => {
    let clock = 0;
    const { asked } = await withApi(
      {},
      async databases => {
        await databases.withDatabases(storageIn('orders', 'orders-1'));
        clock = 59_000;
        await databases.withDatabases(storageIn('orders', 'orders-1'));
        clock = 61_000;
        await databases.withDatabases(storageIn('orders', 'orders-1'));
      },
      () => clock,
    );
    expect(asked).toEqual([CLUSTERS, CLUSTERS]);
  });

  it('keeps the rest of the answer and says what to grant when the portal may not list them', async () => {
    const { cluster } = await databasesFrom({
      [CLUSTERS]: {
        status: 403,
        body: {
          kind: 'Status',
          message:
            'clusters.postgresql.cnpg.io is forbidden: User "system:serviceaccount:backstage-system:backstage" cannot list resource "clusters"',
        },
      },
    });
    expect(cluster.databases).toBeUndefined();
    expect(cluster.volumes).toHaveLength(1);
    expect(cluster.errors).toEqual([
      expect.objectContaining({
        reason: 'forbidden',
        message: expect.stringContaining(
          'the portal may list clusters.postgresql.cnpg.io and objectstores.barmancloud.cnpg.io',
        ),
      }),
    ]);
  });

  describe('migrationPlan', () => {
    const ORDERS = `${CLUSTERS}/orders`;
    const orders = {
      metadata: { name: 'orders', namespace: 'orders' },
      spec: {
        instances: 1,
        storage: { size: '1Gi', storageClass: 'standard' },
      },
      status: { healthyPVC: ['orders-1'] },
    };
    const storage = () => {
      const s = storageIn('orders', 'orders-1');
      s.clusters[0].migrationTargets = ['openebs-localpv-hostpath'];
      return s;
    };
    const plan = (
      answers: Record<string, Answer>,
      request: Partial<{
        namespace: string;
        name: string;
        targetClass: string;
      }> = {},
    ) =>
      withApi(answers, databases =>
        databases.migrationPlan(storage(), {
          cluster: 'lab',
          namespace: 'orders',
          name: 'orders',
          targetClass: 'openebs-localpv-hostpath',
          ...request,
        }),
      );

    it('plans a Cluster whose volume is the entity’s', async () => {
      const { result } = await plan({
        [ORDERS]: { status: 200, body: orders },
      });
      expect(result.target).toEqual({
        name: 'orders-openebs',
        storageClass: 'openebs-localpv-hostpath',
      });
    });

    it('refuses another namespace without looking into it, and a Cluster whose volumes are not the entity’s', async () => {
      const { result: refused, asked } = await withApi({}, databases =>
        databases
          .migrationPlan(storage(), {
            cluster: 'lab',
            namespace: 'billing',
            name: 'orders',
            targetClass: 'openebs-localpv-hostpath',
          })
          .catch(error => error),
      );
      expect(refused).toHaveProperty('name', 'NotAllowedError');
      expect(refused.message).toContain(
        "Cluster billing/orders is not component:default/orders's",
      );
      expect(asked).toEqual([]);
      await expect(
        plan({
          [ORDERS]: {
            status: 200,
            body: { ...orders, status: { healthyPVC: ['other-1'] } },
          },
        }),
      ).rejects.toThrow('none of its volumes is the entity');
    });

    it('refuses a class that is not OpenEBS, the class it is on, and a Cluster that is not there', async () => {
      await expect(
        plan(
          { [ORDERS]: { status: 200, body: orders } },
          { targetClass: 'standard' },
        ),
      ).rejects.toThrow(
        'standard is not an OpenEBS class of cluster lab (openebs-localpv-hostpath)',
      );
      await expect(
        plan({
          [ORDERS]: {
            status: 200,
            body: {
              ...orders,
              spec: {
                ...orders.spec,
                storage: {
                  size: '1Gi',
                  storageClass: 'openebs-localpv-hostpath',
                },
              },
            },
          },
        }),
      ).rejects.toThrow('is already on openebs-localpv-hostpath');
      await expect(plan({}, { name: 'gone' })).rejects.toHaveProperty(
        'name',
        'NotFoundError',
      );
    });
  });
});
