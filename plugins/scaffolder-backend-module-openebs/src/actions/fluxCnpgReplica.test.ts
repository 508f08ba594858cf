import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  createWorkspace,
  INITIATOR,
  runAction,
} from '../__testUtils__/actionContext';
import { createFluxCnpgReplicaAction } from './fluxCnpgReplica';
import {
  refusal,
  storageBackendStandIn,
} from '../__testUtils__/storageBackendStandIn';

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

const backend = storageBackendStandIn();
const action = () => createFluxCnpgReplicaAction(backend.options());

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
    backend.answer = { status: 200, body: PLAN };
    const workspacePath = await workspaceWithOrders();
    const { outputs } = await runAction(action(), { workspacePath, input });
    expect(backend.asked).toHaveLength(1);
    expect(backend.asked[0].url).toBe(
      '/api/openebs-storage/entities/component/default/legacy-orders-db/databases/lab/orders/orders/migration-plan?targetClass=openebs-localpv-hostpath',
    );
    // The mock auth's token names the user it stands for and the target.
    const token = decodeURIComponent(
      backend.asked[0].headers.authorization ?? '',
    );
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
    backend.answer = refusal(
      403,
      'NotAllowedError',
      "Cluster orders/orders is not component:default/legacy-orders-db's",
    );
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
    expect(backend.asked).toEqual([]);
  });
});
