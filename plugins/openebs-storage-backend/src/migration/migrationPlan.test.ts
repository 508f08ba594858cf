import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { fixtures } from '@openebs-portal/lab-testkit';
import { readStorageConfig } from '../config';
import { selectEntityObjects } from '../entities/entityObjectSelection';
import { memoryCluster, MemoryCluster } from '../__testUtils__/memoryCluster';
import { NamespaceOwnership } from '../tenancy/NamespaceOwnership';
import { AnnotationNamespaceTenancy } from '../tenancy/NamespaceTenancy';
import { Requester } from '../tenancy/namespaceAccess';
import { planMigration } from './migrationPlan';

/*
 * Every refusal of a migration that the caches decide, against an
 * in-memory cluster: each is thrown before the planner asks the API server
 * anything (the memory cluster has none to ask), so nothing is read or
 * written for a refused request.
 */

const SHOP_TEAM = 'group:default/team-shop';
const BANK_TEAM = 'group:default/team-bank';
const ID = 'backstage.io/kubernetes-id';
const tenancy = readStorageConfig(
  new ConfigReader({ openebsStorage: { tenancy: {} } }),
).tenancy;
const ownership = new NamespaceOwnership(
  new AnnotationNamespaceTenancy('openebs-portal.dev/owner'),
);

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'uploads', namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-shop' },
  };
}

const alice: Requester = {
  userEntityRef: 'user:default/alice',
  ownershipEntityRefs: ['user:default/alice', SHOP_TEAM],
  isAdmin: false,
};

/** A pod of a ReplicaSet (or of nothing) mounting `claims`. */
function podOf(
  namespace: string,
  name: string,
  claims: string[],
  owned = true,
) {
  const manifest = fixtures.pod({
    namespace,
    name,
    labels: { [ID]: 'uploads' },
    claims,
    nodeName: 'lab-node-1',
  });
  if (!owned) return manifest;
  return {
    ...manifest,
    metadata: {
      ...manifest.metadata,
      ownerReferences: [
        { kind: 'ReplicaSet', name: 'uploads-5d9f', controller: true },
      ],
    },
  };
}

function claimOn(
  namespace: string,
  name: string,
  storageClass: string,
  node?: string,
) {
  const { claim, volume } = fixtures.claim({
    namespace,
    name,
    storageClass,
    node,
  });
  return [claim, volume];
}

function cluster(): MemoryCluster {
  return memoryCluster([
    ...fixtures.storageClasses(),
    fixtures.node('lab-node-1'),
    fixtures.node('lab-node-2', 'Unknown'),
    fixtures.namespace('uploads', SHOP_TEAM),
    fixtures.namespace('bank', BANK_TEAM),
    fixtures.namespace('unrecorded'),
    ...claimOn('uploads', 'data', 'legacy-nfs', 'lab-node-1'),
    podOf('uploads', 'uploads-1', ['data']),
    ...claimOn('bank', 'data', 'legacy-nfs', 'lab-node-1'),
    podOf('bank', 'bank-1', ['data']),
    ...claimOn('unrecorded', 'data', 'legacy-nfs', 'lab-node-1'),
    podOf('unrecorded', 'other-1', ['data']),
  ]);
}

function plan(
  memory: MemoryCluster,
  input: Partial<{
    namespace: string;
    claim: string;
    targetClass: string;
    cluster: string;
  }>,
  annotations: Record<string, string> = { [ID]: 'uploads' },
  requester = alice,
) {
  const entity = component(annotations);
  return planMigration(
    {
      entity,
      entityRef: stringifyEntityRef(entity),
      selection: selectEntityObjects(entity)!,
      cache: memory.cache,
      input: {
        requestId: '00000000-0000-4000-8000-000000000000',
        cluster: 'lab',
        namespace: 'uploads',
        claim: 'data',
        targetClass: 'openebs-localpv-hostpath',
        ...input,
      },
      requester,
    },
    ownership,
    tenancy,
  );
}

describe('planMigration refuses', () => {
  it("a namespace the platform records as another team's, whatever the annotations say", async () => {
    await expect(plan(cluster(), { namespace: 'bank' })).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(`recorded as ${BANK_TEAM}'s`),
    });
  });

  it('a namespace with no recorded owner, to anyone but a platform admin', async () => {
    await expect(
      plan(cluster(), { namespace: 'unrecorded' }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('only platform admins'),
    });
  });

  it('a cluster other than the one the entity names', async () => {
    await expect(
      plan(
        cluster(),
        { cluster: 'other' },
        {
          [ID]: 'uploads',
          'backstage.io/kubernetes-cluster': 'lab',
        },
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it("a claim that is not the entity's", async () => {
    await expect(plan(cluster(), { claim: 'nope' })).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it.each([
    ['absent-class', 'InputError', 'has no storage class'],
    ['legacy-nfs', 'NotAllowedError', 'not an OpenEBS LocalPV hostpath class'],
    [
      'openebs-localpv-device',
      'NotAllowedError',
      'not an OpenEBS LocalPV hostpath class',
    ],
  ])('the target class %s', async (targetClass, name, message) => {
    await expect(plan(cluster(), { targetClass })).rejects.toMatchObject({
      name,
      message: expect.stringContaining(message),
    });
  });

  it('a claim already on OpenEBS', async () => {
    const memory = cluster();
    memory.add(
      ...claimOn('uploads', 'data', 'openebs-localpv-hostpath', 'lab-node-1'),
    );
    await expect(plan(memory, {})).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('already on OpenEBS'),
    });
  });

  it('a claim that is not bound', async () => {
    const memory = cluster();
    memory.add(...claimOn('uploads', 'data', 'legacy-nfs'));
    await expect(plan(memory, {})).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('only a bound claim'),
    });
  });

  it('a volume on a node that is not Ready', async () => {
    const memory = cluster();
    memory.add(...claimOn('uploads', 'data', 'legacy-nfs', 'lab-node-2'));
    await expect(plan(memory, {})).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('lab-node-2, which is not Ready'),
    });
  });

  it('a claim mounted by a pod no Deployment or StatefulSet runs', async () => {
    const memory = cluster();
    memory.add(podOf('uploads', 'bare', ['data'], false));
    await expect(plan(memory, {})).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'Migration refused: pod bare (no controller)',
      ),
    });
  });

  it('a claim of a CloudNativePG cluster: the cluster moves by its own plan', async () => {
    const memory = cluster();
    const { claim, volume } = fixtures.claim({
      namespace: 'uploads',
      name: 'data',
      storageClass: 'legacy-nfs',
      node: 'lab-node-1',
      labels: { 'cnpg.io/cluster': 'orders' },
    });
    memory.add(claim, volume);
    await expect(plan(memory, {})).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'Claim data is a volume of CloudNativePG cluster orders',
      ),
    });
  });

  it('while the caches are not read', async () => {
    const memory = cluster();
    memory.reflectors.claims.status = { synced: false };
    await expect(plan(memory, {})).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
  });
});
