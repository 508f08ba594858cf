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

async function databasesFrom(answers: Record<string, Answer>) {
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
    const storage = await new EntityDatabases(
      new ClusterCaches([cache]),
    ).withDatabases(storageIn('orders', 'orders-1'));
    return { cluster: storage.clusters[0], asked };
  } finally {
    await new Promise(resolve => server.close(resolve));
  }
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
});
