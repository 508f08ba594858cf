import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  createWorkspace,
  INITIATOR,
  runAction,
} from '../__testUtils__/actionContext';
import {
  applied,
  DIR,
  plan,
  repository,
} from '../__testUtils__/cnpgRepository';
import {
  refusal,
  storageBackendStandIn,
} from '../__testUtils__/storageBackendStandIn';
import { addCnpgReplica } from '../flux/cnpgReplica';
import { createFluxCnpgPrimaryAction } from './fluxCnpgPrimary';

/*
 * The action against a stand-in storage backend: it asks for the entity's
 * storage on the user's behalf and records a hand-over only once the live
 * Clusters have made it. What the manifests become is cnpgPrimary.test.ts's.
 */

const backend = storageBackendStandIn();
const action = () => createFluxCnpgPrimaryAction(backend.options());

/** The repository after the replica's pull request, in a workspace. */
async function workspaceWithPair() {
  const workspacePath = await createWorkspace();
  const files = applied(
    repository(),
    addCnpgReplica(repository(), plan).changed,
  );
  for (const file of files) {
    await fs.mkdir(join(workspacePath, DIR), { recursive: true });
    await fs.writeFile(join(workspacePath, file.path), file.content);
  }
  return { workspacePath, files };
}

/** The entity's storage as the backend answers it: the two Clusters live. */
function storage(replicaOf: { orders?: string; 'orders-openebs'?: string }) {
  const database = (name: 'orders' | 'orders-openebs') => ({
    namespace: 'orders',
    name,
    instances: 1,
    readyInstances: 1,
    claims: [`${name}-1`],
    replicaOf: replicaOf[name],
  });
  return {
    status: 200,
    body: {
      entityRef: 'component:default/legacy-orders-db',
      clusters: [
        {
          cluster: 'lab',
          databases: [database('orders'), database('orders-openebs')],
        },
      ],
    },
  };
}

const input = {
  entityRef: 'Component:default/legacy-orders-db',
  cluster: 'lab',
  namespace: 'orders',
  primary: 'orders-openebs',
  replica: 'orders',
  directory: DIR,
};

async function unchanged(
  workspacePath: string,
  files: { path: string; content: string }[],
) {
  for (const file of files) {
    expect(await fs.readFile(join(workspacePath, file.path), 'utf8')).toBe(
      file.content,
    );
  }
}

describe('openebs:flux:cnpg-primary', () => {
  it("records a hand-over the live Clusters have made, asking the entity's storage on behalf of the user", async () => {
    backend.answer = storage({ orders: 'orders-openebs' });
    const { workspacePath } = await workspaceWithPair();
    const { outputs } = await runAction(action(), { workspacePath, input });
    expect(backend.asked.map(r => r.url)).toEqual([
      '/api/openebs-storage/entities/component/default/legacy-orders-db/storage',
    ]);
    const token = decodeURIComponent(
      backend.asked[0].headers.authorization ?? '',
    );
    expect(token).toContain(INITIATOR);
    expect(outputs.changed).toEqual([
      `${DIR}/orders-openebs.yaml`,
      `${DIR}/orders.yaml`,
    ]);
    const [orders] = parseAllDocuments(
      await fs.readFile(join(workspacePath, DIR, 'orders.yaml'), 'utf8'),
    ).map(d => d.toJS());
    expect(orders.spec.replica).toEqual({
      primary: 'orders-openebs',
      source: 'orders-openebs',
    });
    expect(outputs.description).toContain("Flux's next apply changes nothing");
  });

  it('refuses, writing nothing, while the live Clusters have not handed over', async () => {
    const { workspacePath, files } = await workspaceWithPair();
    // Before the switchover: the new Cluster still follows the old one.
    backend.answer = storage({ 'orders-openebs': 'orders' });
    await expect(runAction(action(), { workspacePath, input })).rejects.toThrow(
      "The hand-over to orders-openebs has not happened (orders-openebs follows orders, orders is primary): written into Git first, Flux would promote orders-openebs without orders's demotion token",
    );
    // Halfway: the old one demoted, the new one not yet promoted.
    backend.answer = storage({
      orders: 'orders-openebs',
      'orders-openebs': 'orders',
    });
    await expect(runAction(action(), { workspacePath, input })).rejects.toThrow(
      'has not happened (orders-openebs follows orders, orders follows orders-openebs)',
    );
    await unchanged(workspacePath, files);
  });

  it("refuses, writing nothing, what the entity's tab does not show, and passes on the backend's refusal", async () => {
    const { workspacePath, files } = await workspaceWithPair();
    backend.answer = storage({ orders: 'orders-openebs' });
    await expect(
      runAction(action(), {
        workspacePath,
        input: { ...input, primary: 'payments', replica: 'orders' },
      }),
    ).rejects.toThrow(
      "The entity's Storage tab shows no CloudNativePG Cluster orders/payments",
    );
    await expect(
      runAction(action(), {
        workspacePath,
        input: { ...input, cluster: 'other' },
      }),
    ).rejects.toThrow(
      'Component:default/legacy-orders-db has no storage in Kubernetes cluster other',
    );
    backend.answer = refusal(403, 'NotAllowedError', 'not yours');
    await expect(runAction(action(), { workspacePath, input })).rejects.toThrow(
      'The portal could not show the storage of Component:default/legacy-orders-db (403 NotAllowedError): not yours',
    );
    backend.asked = [];
    await expect(
      runAction(action(), {
        workspacePath,
        input: { ...input, replica: 'orders-openebs' },
      }),
    ).rejects.toThrow('The primary and the replica are one Cluster');
    expect(backend.asked).toEqual([]);
    await unchanged(workspacePath, files);
  });
});
