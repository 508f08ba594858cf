import { promises as fs } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { parse, stringify } from 'yaml';
import {
  createWorkspace,
  INITIATOR,
  runAction,
} from '../__testUtils__/actionContext';
import { createFluxCnpgReplicaAction } from './fluxCnpgReplica';

/*
 * The action against a stand-in for the storage backend on a local port:
 * what it asks for, with whose token, and what it does with the answer.
 * What the plan holds is the storage backend's (its own tests); what the
 * manifests become is cnpgReplica.test.ts's.
 */

const DIR = 'kubernetes/apps/orders';
const ORDERS = stringify({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name: 'orders', namespace: 'orders' },
  spec: { instances: 1, storage: { size: '1Gi', storageClass: 'legacy-nfs' } },
});
const PLAN = {
  namespace: 'orders',
  cluster: 'orders',
  target: { name: 'orders-openebs', storageClass: 'openebs-localpv-hostpath' },
  existingPatch: stringify({
    spec: { replica: { primary: 'orders', source: 'orders-openebs' } },
  }),
  replicaCluster: stringify({
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: 'orders-openebs', namespace: 'orders' },
    spec: { instances: 1 },
  }),
  switchover: [{ title: 'Demote orders', command: 'kubectl -n orders patch' }],
  rollback: [],
};

let server: Server;
let port: number;
let asked: IncomingMessage[] = [];
let answer: { status: number; body: unknown };

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(req);
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise(resolve => server.close(resolve)));
beforeEach(() => {
  asked = [];
});

const action = () =>
  createFluxCnpgReplicaAction({
    discovery: {
      getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
      getExternalBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
    },
    auth: mockServices.auth(),
  });

async function workspaceWithOrders() {
  const workspacePath = await createWorkspace();
  await fs.mkdir(join(workspacePath, DIR), { recursive: true });
  await fs.writeFile(join(workspacePath, DIR, 'orders.yaml'), ORDERS);
  return workspacePath;
}

const input = {
  entityRef: 'Component:default/legacy-orders-db',
  cluster: 'lab',
  namespace: 'orders',
  database: 'orders',
  targetClass: 'openebs-localpv-hostpath',
  directory: DIR,
};

describe('openebs:flux:cnpg-replica', () => {
  it("asks the storage backend for the entity's plan on behalf of the user, and writes it", async () => {
    answer = { status: 200, body: PLAN };
    const workspacePath = await workspaceWithOrders();
    const { outputs } = await runAction(action(), { workspacePath, input });
    expect(asked).toHaveLength(1);
    expect(asked[0].url).toBe(
      '/api/openebs-storage/entities/component/default/legacy-orders-db/databases/lab/orders/orders/migration-plan?targetClass=openebs-localpv-hostpath',
    );
    // The mock auth's token names the user it stands for and the target.
    const token = decodeURIComponent(asked[0].headers.authorization ?? '');
    expect(token).toContain(INITIATOR);
    expect(token).toContain('openebs-storage');
    expect(outputs.changed).toEqual([
      `${DIR}/orders.yaml`,
      `${DIR}/orders-openebs.yaml`,
    ]);
    const orders = parse(
      await fs.readFile(join(workspacePath, DIR, 'orders.yaml'), 'utf8'),
    );
    expect(orders.spec.replica).toEqual({
      primary: 'orders',
      source: 'orders-openebs',
    });
    expect(outputs.replica).toBe('orders-openebs');
    expect(outputs.description).toContain('1. Demote orders:');
    expect(outputs.description).toContain('Suspend the Kustomization');
  });

  it("fails with the storage backend's refusal, writing nothing", async () => {
    answer = {
      status: 403,
      body: {
        error: {
          name: 'NotAllowedError',
          message:
            "Cluster orders/orders is not component:default/legacy-orders-db's",
        },
        response: { statusCode: 403 },
      },
    };
    const workspacePath = await workspaceWithOrders();
    await expect(runAction(action(), { workspacePath, input })).rejects.toThrow(
      "Cluster orders/orders is not component:default/legacy-orders-db's",
    );
    expect(await fs.readdir(join(workspacePath, DIR))).toEqual(['orders.yaml']);
    expect(
      await fs.readFile(join(workspacePath, DIR, 'orders.yaml'), 'utf8'),
    ).toBe(ORDERS);
  });

  it('refuses an entity reference it cannot read before asking anything', async () => {
    const workspacePath = await workspaceWithOrders();
    await expect(
      runAction(action(), {
        workspacePath,
        input: { ...input, entityRef: 'component:' },
      }),
    ).rejects.toThrow(/^entityRef: /);
    expect(asked).toEqual([]);
  });
});
