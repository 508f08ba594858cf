import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import { randomUUID } from 'crypto';
import request from 'supertest';
import {
  applyBackedUpWorkload,
  fixtures,
  LabAdmin,
  labCluster,
} from '@openebs-portal/lab-testkit';
import {
  labClusterConfig,
  startStorageTestBackend,
  StorageTestBackend,
} from '../__testUtils__/testBackend';
import { openebsStorageTenancyExtensionPoint } from '../tenancy/extensionPoint';

/*
 * Tenancy against the real kube-apiserver: the attacker owns components
 * whose catalog annotations they wrote themselves, and may restore what they
 * own. Every attack must be refused, and leave no Restore, DownloadRequest
 * or namespace behind; the honest paths must still work.
 */

jest.setTimeout(120_000);

const lab = labCluster();
const admin = new LabAdmin(lab);
const run = Math.random().toString(36).slice(2, 8);
const SHOP_TEAM = 'group:default/team-shop';
const PLATFORM_ADMIN = 'user:default/platform-admin';
const BANK_TEAM = 'group:default/team-bank';

/** The attacker's team's namespace, another team's, and one nobody recorded. */
const shopNs = `shop-${run}`;
const bankNs = `bank-${run}`;
const legacyNs = `legacy-${run}`;
/** Existing namespaces that follow the naming rule of shopNs. */
const foreignTarget = `${shopNs}-restore-foreign`;
const ownTarget = `${shopNs}-restore-kept`;

function component(
  name: string,
  annotations: Record<string, string>,
  owner = SHOP_TEAM,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner, lifecycle: 'production' },
  };
}

const id = (value: string) => ({ 'backstage.io/kubernetes-id': value });
const entities = {
  shop: component('shop', {
    ...id(shopNs),
    'backstage.io/kubernetes-namespace': shopNs,
  }),
  shopMirror: component('shop-mirror', id(shopNs)),
  shopThird: component('shop-third', id(shopNs)),
  forgedNamespace: component('forged-ns', {
    ...id(bankNs),
    'backstage.io/kubernetes-namespace': bankNs,
  }),
  copiedId: component('copied-id', id(bankNs)),
  wideSelector: component('wide', {
    'backstage.io/kubernetes-label-selector': `backstage.io/kubernetes-id in (${shopNs},${bankNs})`,
  }),
  negativeSelector: component('negative', {
    'backstage.io/kubernetes-label-selector': `backstage.io/kubernetes-id=${shopNs},tier!=cache`,
  }),
  otherCluster: component('other-cluster', {
    ...id(shopNs),
    'backstage.io/kubernetes-cluster': 'lab-b',
  }),
  legacy: component('legacy', id(legacyNs)),
  down: component('down', {
    ...id(shopNs),
    'backstage.io/kubernetes-cluster': 'down',
  }),
};
const allEntities = Object.values(entities);

function pathOf(entity: Entity, suffix = 'restores') {
  return `/api/openebs-storage/entities/component/default/${entity.metadata.name}/${suffix}`;
}

/** A team's workload with one backed-up volume, as Velero leaves it. */
function workload(namespace: string, owner?: string) {
  return applyBackedUpWorkload(admin, {
    namespace,
    owner,
    pod: 'db-0',
    claim: 'data-db-0',
    labels: id(namespace),
    backupName: `nightly-${namespace}`,
  });
}

function input(namespace: string, overrides: Record<string, unknown> = {}) {
  return {
    requestId: randomUUID(),
    cluster: 'lab',
    backupName: `nightly-${namespace}`,
    namespace,
    volumes: ['data-db-0'],
    mode: 'new-namespace',
    targetNamespace: `${namespace}-restore-${randomUUID().slice(0, 8)}`,
    ...overrides,
  };
}

/** Targets the attacks name that carry no run marker. */
const UNMARKED_TARGETS = ['kube-shop', 'velero', 'backstage', 'flux-system'];

/** Everything a restore request of this file could have made in the cluster. */
const clusterFootprint = () => admin.footprint(run, UNMARKED_TARGETS);

describe('restore tenancy against the lab apiserver', () => {
  let owner: StorageTestBackend;
  let admins: StorageTestBackend;
  let roomy: StorageTestBackend;

  const backendOptions = {
    clusters: [
      labClusterConfig(lab),
      labClusterConfig(lab, 'lab-b'),
      { ...labClusterConfig(lab, 'down'), url: 'https://127.0.0.1:1' },
    ],
    entities: allEntities,
  };

  async function whenSynced(backend: StorageTestBackend) {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const res = await request(backend.server).get(
        pathOf(entities.shop, 'storage'),
      );
      const lab0 = res.body.clusters?.find((c: any) => c.cluster === 'lab');
      if (
        res.status === 200 &&
        lab0?.volumes[0]?.backups.length >= 1 &&
        lab0.errors.length === 0
      )
        return;
      await new Promise(r => setTimeout(r, 200));
    }
    throw new Error('caches did not sync');
  }

  beforeAll(async () => {
    for (const manifest of fixtures.storageClasses())
      await admin.apply(manifest);
    await admin.apply(
      fixtures.storageLocation({ name: 'default', phase: 'Available' }),
    );
    await workload(shopNs, SHOP_TEAM);
    await workload(bankNs, BANK_TEAM);
    await workload(legacyNs);
    await admin.apply(fixtures.namespace(foreignTarget, BANK_TEAM));
    await admin.apply(fixtures.namespace(ownTarget, SHOP_TEAM));
    owner = await startStorageTestBackend({
      ...backendOptions,
      allow: ['openebs.storage.read', 'openebs.storage.restore.create'],
      config: { openebsStorage: { tenancy: { portalNamespace: 'backstage' } } },
    });
    admins = await startStorageTestBackend(backendOptions);
    // Caps high enough that the held-target case meets the hold, not a cap.
    roomy = await startStorageTestBackend({
      ...backendOptions,
      allow: ['openebs.storage.read', 'openebs.storage.restore.create'],
      admins: [PLATFORM_ADMIN],
      config: {
        openebsStorage: {
          restoreLimits: { activePerEntity: 5, activePerUser: 5 },
        },
      },
    });
    await Promise.all([owner, admins, roomy].map(whenSynced));
  });

  afterAll(async () => {
    await Promise.all([owner, admins, roomy].map(b => b?.backend.stop()));
  });

  describe('the read path', () => {
    it('shows nothing of another team to a copied kubernetes-id, and says how much it left out', async () => {
      for (const entity of [entities.copiedId, entities.forgedNamespace]) {
        const res = await request(owner.server).get(pathOf(entity, 'storage'));
        const lab0 = res.body.clusters.find((c: any) => c.cluster === 'lab');
        expect(lab0.volumes).toEqual([]);
        expect(lab0.namespaces).toEqual([]);
        expect(lab0.schedules).toEqual([]);
        expect(lab0.withheld).toEqual({
          volumes: 1,
          namespaces: 1,
          reason: expect.stringContaining("another owner's"),
        });
        expect(JSON.stringify(res.body)).not.toContain(bankNs);
      }
    });

    it("shows the team's own volumes with their recorded owner, and unrecorded ones as such", async () => {
      const shop = await request(owner.server).get(
        pathOf(entities.shop, 'storage'),
      );
      const own = shop.body.clusters.find((c: any) => c.cluster === 'lab');
      expect(own.volumes).toEqual([
        expect.objectContaining({
          namespace: shopNs,
          namespaceOwner: SHOP_TEAM,
        }),
      ]);
      expect(own.withheld).toBeUndefined();

      const legacy = await request(owner.server).get(
        pathOf(entities.legacy, 'storage'),
      );
      const [volume] = legacy.body.clusters.find(
        (c: any) => c.cluster === 'lab',
      ).volumes;
      expect(volume).toMatchObject({ namespace: legacyNs, name: 'data-db-0' });
      expect(volume.namespaceOwner).toBeUndefined();
    });
  });

  describe('refuses, and creates nothing, when', () => {
    const attacks: Array<
      [
        string,
        () => [StorageTestBackend, Entity, Record<string, unknown>],
        number,
        string,
      ]
    > = [
      [
        'a forged kubernetes-namespace names another team',
        () => [owner, entities.forgedNamespace, input(bankNs)],
        403,
        `recorded as ${BANK_TEAM}'s`,
      ],
      [
        'a copied kubernetes-id leads to another team',
        () => [owner, entities.copiedId, input(bankNs)],
        403,
        `recorded as ${BANK_TEAM}'s`,
      ],
      [
        'an admin restores another team through a forged entity',
        () => [admins, entities.copiedId, input(bankNs)],
        403,
        `recorded as ${BANK_TEAM}'s`,
      ],
      [
        'the selector matches a set of values',
        () => [owner, entities.wideSelector, input(shopNs)],
        403,
        'key=value terms only',
      ],
      [
        'the selector has a negative term',
        () => [owner, entities.negativeSelector, input(shopNs)],
        403,
        'tier match more than one value',
      ],
      [
        'the request names a cluster the entity is not in',
        () => [owner, entities.otherCluster, input(shopNs)],
        403,
        'runs in cluster lab-b',
      ],
      [
        'nobody recorded the namespace and the requester is no admin',
        () => [owner, entities.legacy, input(legacyNs)],
        403,
        'has no recorded owner',
      ],
      [
        'the target is reserved (kube-*)',
        () => [
          owner,
          entities.shop,
          input(shopNs, { targetNamespace: 'kube-shop' }),
        ],
        403,
        'reserved (kube-*)',
      ],
      [
        "the target is Velero's namespace",
        () => [
          owner,
          entities.shop,
          input(shopNs, { targetNamespace: 'velero' }),
        ],
        403,
        'reserved',
      ],
      [
        "the target is the portal's namespace",
        () => [
          owner,
          entities.shop,
          input(shopNs, { targetNamespace: 'backstage' }),
        ],
        403,
        'reserved (backstage)',
      ],
      [
        'the target is flux-system',
        () => [
          owner,
          entities.shop,
          input(shopNs, { targetNamespace: 'flux-system' }),
        ],
        403,
        'reserved',
      ],
      [
        "the target is another team's existing namespace",
        () => [
          owner,
          entities.shop,
          input(shopNs, { targetNamespace: bankNs }),
        ],
        400,
        'naming rule',
      ],
      [
        'a new target breaks the naming rule',
        () => [
          owner,
          entities.shop,
          input(shopNs, { targetNamespace: `${bankNs}-copy` }),
        ],
        400,
        `use ${shopNs}-restore-*`,
      ],
      [
        "an existing target that follows the rule is another team's",
        () => [
          owner,
          entities.shop,
          input(shopNs, { targetNamespace: foreignTarget }),
        ],
        409,
        'not recorded as',
      ],
      [
        'the cluster has not been read yet',
        () => [owner, entities.down, input(shopNs, { cluster: 'down' })],
        503,
        'not finished reading cluster down',
      ],
    ];

    it.each(attacks)('%s', async (_name, attack, status, message) => {
      const [backend, entity, body] = attack();
      const before = await clusterFootprint();
      for (const suffix of ['restores', 'restores/preview']) {
        const sent =
          suffix === 'restores' ? body : { ...body, requestId: undefined };
        const res = await request(backend.server)
          .post(pathOf(entity, suffix))
          .send(sent);
        expect({ suffix, status: res.status }).toEqual({ suffix, status });
        expect(res.body.error.message).toContain(message);
      }
      expect(await clusterFootprint()).toEqual(before);
    });
  });

  it('restores into a new namespace for the owner, and into an existing one of the same owner', async () => {
    const fresh = input(shopNs);
    const preview = await request(roomy.server)
      .post(pathOf(entities.shop, 'restores/preview'))
      .send({ ...fresh, requestId: undefined });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      targetNamespace: fresh.targetNamespace,
      contents: { claims: ['data-db-0'], workloads: ['Pod/db-0'] },
    });
    const created = await request(roomy.server)
      .post(pathOf(entities.shop, 'restores'))
      .send(fresh);
    expect(created.status).toBe(201);
    expect(created.body.contents).toEqual(preview.body.contents);
    expect(await admin.restoresOfRequest(fresh.requestId)).toHaveLength(1);

    const kept = input(shopNs, { targetNamespace: ownTarget });
    expect(
      (
        await request(roomy.server)
          .post(pathOf(entities.shop, 'restores'))
          .send(kept)
      ).status,
    ).toBe(201);
  });

  it('lets a platform admin restore a namespace nobody recorded', async () => {
    const body = input(legacyNs);
    const res = await request(admins.server)
      .post(pathOf(entities.legacy))
      .send(body);
    expect(res.status).toBe(201);
    expect(await admin.restoresOfRequest(body.requestId)).toHaveLength(1);
  });

  it('holds a new target while its restore is in progress', async () => {
    const first = input(shopNs);
    expect(
      (await request(roomy.server).post(pathOf(entities.shop)).send(first))
        .status,
    ).toBe(201);
    const before = await clusterFootprint();
    const again = await request(roomy.server)
      .post(pathOf(entities.shopMirror))
      .set(
        'Authorization',
        mockCredentials.user.header('user:default/someone-else'),
      )
      .send(input(shopNs, { targetNamespace: first.targetNamespace }));
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(
      `${first.targetNamespace} is the target of restore`,
    );
    expect(await clusterFootprint()).toEqual(before);
  });

  it('ties a request id to its entity', async () => {
    const body = input(shopNs);
    expect(
      (await request(roomy.server).post(pathOf(entities.shop)).send(body))
        .status,
    ).toBe(201);
    const before = await clusterFootprint();
    const reused = await request(roomy.server)
      .post(pathOf(entities.shopMirror))
      .send(body);
    expect(reused.status).toBe(409);
    expect(reused.body.error.message).toContain(
      'already used for a restore of another entity',
    );
    expect(await clusterFootprint()).toEqual(before);
  });

  it('caps active restores per entity and per user, and frees the slot when one ends', async () => {
    // The owner backend keeps the defaults: one per entity, two per user.
    const first = input(shopNs);
    const res = await request(owner.server)
      .post(pathOf(entities.shop))
      .send(first);
    expect(res.status).toBe(201);
    let before = await clusterFootprint();
    const second = await request(owner.server)
      .post(pathOf(entities.shop))
      .send(input(shopNs));
    expect(second.status).toBe(429);
    expect(second.body.error).toMatchObject({ name: 'TooManyRequestsError' });
    expect(second.body.error.message).toContain(
      `the most allowed per entity (1): ${res.body.restoreName}`,
    );
    expect(await clusterFootprint()).toEqual(before);

    // Other entities of the same user: the user's second slot, then none.
    expect(
      (
        await request(owner.server)
          .post(pathOf(entities.shopMirror))
          .send(input(shopNs))
      ).status,
    ).toBe(201);
    before = await clusterFootprint();
    const third = await request(owner.server)
      .post(pathOf(entities.shopThird))
      .send(input(shopNs));
    expect(third.status).toBe(429);
    expect(third.body.error.message).toContain('the most allowed per user (2)');
    expect(await clusterFootprint()).toEqual(before);

    // Acting as Velero: the first restore ends; its slots are free again.
    await admin.apply(
      fixtures.restore({
        name: res.body.restoreName,
        phase: 'Completed',
        startedMinutesAgo: 2,
        durationSeconds: 60,
      }),
    );
    const deadline = Date.now() + 20_000;
    let next;
    do {
      await owner.trackRestores();
      next = await request(owner.server)
        .post(pathOf(entities.shop))
        .send(input(shopNs));
    } while (
      next.status === 429 &&
      Date.now() < deadline &&
      (await new Promise(r => setTimeout(r, 200)), true)
    );
    expect(next.status).toBe(201);
  });

  it('lets only a platform admin cancel a restore Velero has not started, and deletes its Restore', async () => {
    const body = input(shopNs);
    const res = await request(roomy.server)
      .post(pathOf(entities.shop))
      .send(body);
    expect(res.status).toBe(201);
    const cancelPath = pathOf(entities.shop, `restores/${res.body.id}/cancel`);
    const asAdmin = mockCredentials.user.header(PLATFORM_ADMIN);

    const refused = await request(roomy.server).post(cancelPath);
    expect(refused.status).toBe(403);
    expect(await admin.restoresOfRequest(body.requestId)).toHaveLength(1);
    // Another entity's path does not reach the request.
    const elsewhere = pathOf(
      entities.shopMirror,
      `restores/${res.body.id}/cancel`,
    );
    expect(
      (
        await request(roomy.server)
          .post(elsewhere)
          .set('Authorization', asAdmin)
      ).status,
    ).toBe(404);

    const cancelled = await request(roomy.server)
      .post(cancelPath)
      .set('Authorization', asAdmin);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      state: 'cancelled',
      cancelledBy: PLATFORM_ADMIN,
    });
    expect(await admin.restoresOfRequest(body.requestId)).toHaveLength(0);
    // Its target is free again.
    const retry = input(shopNs, { targetNamespace: body.targetNamespace });
    expect(
      (await request(roomy.server).post(pathOf(entities.shop)).send(retry))
        .status,
    ).toBe(201);

    // A running restore: deleting it would not stop Velero, so it is refused.
    const [running] = await admin.restoresOfRequest(retry.requestId);
    await admin.apply(
      fixtures.restore({
        name: running.metadata.name,
        phase: 'InProgress',
        startedMinutesAgo: 1,
      }),
    );
    const deadline = Date.now() + 20_000;
    let phase: string | undefined;
    while (phase !== 'InProgress' && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 200));
      await roomy.trackRestores();
      const list = await request(roomy.server).get(pathOf(entities.shop));
      phase = list.body.items.find(
        (r: any) => r.requestId === retry.requestId,
      )?.phase;
    }
    const { id: runningId } = (
      await request(roomy.server).post(pathOf(entities.shop)).send(retry)
    ).body;
    const answer = await request(roomy.server)
      .post(pathOf(entities.shop, `restores/${runningId}/cancel`))
      .set('Authorization', asAdmin);
    expect(answer.status).toBe(409);
    expect(answer.body.error.message).toContain(
      'Velero does not stop a running restore',
    );
    expect(await admin.restoresOfRequest(retry.requestId)).toHaveLength(1);
    // Velero would end it: no other test file may see it running (the
    // lab's files share one cluster, and "queued behind" names the oldest).
    await admin.apply(
      fixtures.restore({
        name: running.metadata.name,
        phase: 'Completed',
        startedMinutesAgo: 1,
        durationSeconds: 30,
      }),
    );
  });

  it('takes namespace owners from a module that replaces the tenancy', async () => {
    // An organisation's own record: here a map that knows only legacyNs.
    const inventory = createBackendModule({
      pluginId: 'openebs-storage',
      moduleId: 'test-inventory',
      register(reg) {
        reg.registerInit({
          deps: { tenancy: openebsStorageTenancyExtensionPoint },
          async init({ tenancy }) {
            tenancy.setNamespaceTenancy({
              ownerOf: async ({ cluster, name }) =>
                cluster === 'lab' && name === legacyNs ? SHOP_TEAM : undefined,
            });
          },
        });
      },
    });
    const custom = await startStorageTestBackend({
      ...backendOptions,
      allow: ['openebs.storage.read', 'openebs.storage.restore.create'],
      modules: [inventory],
    });
    try {
      const deadline = Date.now() + 30_000;
      let volume: any;
      while (!volume && Date.now() < deadline) {
        const res = await request(custom.server).get(
          pathOf(entities.legacy, 'storage'),
        );
        volume = res.body.clusters?.find((c: any) => c.cluster === 'lab')
          ?.volumes[0];
        if (!volume) await new Promise(r => setTimeout(r, 200));
      }
      expect(volume).toMatchObject({
        namespace: legacyNs,
        namespaceOwner: SHOP_TEAM,
      });

      // The annotation no longer counts: shopNs is unrecorded for this rule.
      const before = await clusterFootprint();
      const refused = await request(custom.server)
        .post(pathOf(entities.shop))
        .send(input(shopNs));
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('has no recorded owner');
      expect(await clusterFootprint()).toEqual(before);

      const allowed = input(legacyNs);
      expect(
        (
          await request(custom.server)
            .post(pathOf(entities.legacy))
            .send(allowed)
        ).status,
      ).toBe(201);
      expect(await admin.restoresOfRequest(allowed.requestId)).toHaveLength(1);
    } finally {
      await custom.backend.stop();
    }
  });
});
