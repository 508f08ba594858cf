import { Entity } from '@backstage/catalog-model';
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
import { kubeConfigFor } from '../kubernetes/clusterConfig';
import { runVerification } from './drillVerification';

/*
 * Restore drills against the real kube-apiserver, the test acting as Velero
 * and the kubelet: the drill waits for a user's restore, restores into a
 * labelled, isolated scratch namespace, is judged by the bytes, sealed and
 * cleaned up; it stands down for a user's restore that arrives before
 * Velero starts it; and a drill of another team's namespace creates nothing.
 */

jest.setTimeout(120_000);

const lab = labCluster();
const admin = new LabAdmin(lab);
const run = Math.random().toString(36).slice(2, 8);
const SHOP_TEAM = 'group:default/team-shop';
const BANK_TEAM = 'group:default/team-bank';
const shopNs = `drill-shop-${run}`;
const bankNs = `drill-bank-${run}`;
const legacyNs = `drill-legacy-${run}`;
const BACKED_UP_BYTES = 3 * 1048576;

function component(
  name: string,
  namespace: string,
  extra: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': namespace,
        'backstage.io/kubernetes-namespace': namespace,
        ...extra,
      },
    },
    spec: { type: 'service', owner: SHOP_TEAM, lifecycle: 'production' },
  };
}

const shop = component('shop', shopNs);
/** Written by team-shop, naming team-bank's namespace, enrolled weekly. */
const forged = component('forged', bankNs, {
  'openebs.io/restore-drill': 'weekly',
});

/** team-shop's, in a namespace the platform recorded no owner for. */
const legacy = component('legacy', legacyNs);

const pathOf = (entity: Entity, suffix: string) =>
  `/api/openebs-storage/entities/component/default/${entity.metadata.name}/${suffix}`;

describe('restore drills against the lab apiserver', () => {
  let backend: StorageTestBackend;

  async function drillsOf(entity: Entity) {
    const res = await request(backend.server).get(pathOf(entity, 'drills'));
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Runs the drills' task until the entity's newest drill matches. */
  async function runUntil(entity: Entity, done: (drill: any) => boolean) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      await backend.runDrills();
      const [newest] = (await drillsOf(entity)).drills;
      if (newest && done(newest)) return newest;
      if (Date.now() > deadline) {
        throw new Error(`drill is ${JSON.stringify(newest)}`);
      }
      await new Promise(r => setTimeout(r, 250));
    }
  }

  /** A user's restore of the shop, in progress until Velero says otherwise. */
  async function userRestore() {
    const res = await request(backend.server)
      .post(pathOf(shop, 'restores'))
      .send({
        requestId: randomUUID(),
        cluster: 'lab',
        backupName: `nightly-${shopNs}`,
        namespace: shopNs,
        volumes: ['data-db-0'],
        mode: 'new-namespace',
        targetNamespace: `${shopNs}-restore-${randomUUID().slice(0, 8)}`,
      });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function finishUserRestore(restoreName: string) {
    await admin.apply(
      fixtures.restore({
        name: restoreName,
        phase: 'Completed',
        startedMinutesAgo: 2,
        durationSeconds: 30,
      }),
    );
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      await backend.trackRestores();
      const res = await request(backend.server).get(pathOf(shop, 'restores'));
      if (res.body.items.every((r: any) => r.state !== 'in-progress')) return;
      await new Promise(r => setTimeout(r, 250));
    }
    throw new Error(`restore ${restoreName} still in progress`);
  }

  beforeAll(async () => {
    for (const manifest of fixtures.storageClasses())
      await admin.apply(manifest);
    await admin.apply(
      fixtures.storageLocation({ name: 'default', phase: 'Available' }),
    );
    for (const [namespace, owner] of [
      [shopNs, SHOP_TEAM],
      [bankNs, BANK_TEAM],
      [legacyNs, undefined],
    ] as Array<[string, string | undefined]>) {
      await applyBackedUpWorkload(admin, {
        namespace,
        owner,
        pod: 'db-0',
        claim: 'data-db-0',
        labels: { 'backstage.io/kubernetes-id': namespace },
        backupName: `nightly-${namespace}`,
        bytes: BACKED_UP_BYTES,
      });
    }
    backend = await startStorageTestBackend({
      clusters: [labClusterConfig(lab)],
      entities: [shop, forged, legacy],
      allow: ['openebs.storage.read', 'openebs.storage.restore.create'],
      config: {
        openebsStorage: { drills: { evidenceKey: 'drill-test-key' } },
      },
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await request(backend.server).get(pathOf(shop, 'storage'));
      const volume = res.body.clusters?.[0]?.volumes[0];
      if (volume?.lastGoodBackup) break;
      if (Date.now() > deadline) throw new Error('caches did not sync');
      await new Promise(r => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    await backend?.backend.stop();
    admin.close();
  });

  it("refuses a drill of another team's namespace, on demand or on schedule, and creates nothing", async () => {
    const res = await request(backend.server).post(pathOf(forged, 'drills'));
    // The read path already withholds the namespace from this entity, so
    // the drill finds nothing of its own to restore.
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      "has no volume with a good backup to drill. The entity's annotations match volumes in namespaces the platform records as another owner's",
    );
    // The schedule's pass queues the enrolled entity's drill: refused, and
    // recorded so its tab says why.
    await backend.runDrills();
    const { drills, enrolled } = await drillsOf(forged);
    expect(enrolled).toEqual({ cadence: 'weekly', source: 'annotation' });
    expect(drills).toEqual([
      expect.objectContaining({
        state: 'failed',
        startedBy: 'schedule',
        reason: expect.stringContaining("as another owner's"),
      }),
    ]);
    // Seen, but unrecorded: a restore of it is the platform admins', and
    // so is a drill.
    const unrecorded = await request(backend.server).post(
      pathOf(legacy, 'drills'),
    );
    expect(unrecorded.status).toBe(403);
    expect(unrecorded.body.error.message).toContain(
      `Namespace ${legacyNs} of cluster lab has no recorded owner`,
    );
    expect((await drillsOf(legacy)).drills).toEqual([]);
    expect(await admin.footprint(run)).toEqual({
      restores: [],
      downloads: [],
      // The teams' own namespaces, and no scratch namespace.
      namespaces: [bankNs, legacyNs, shopNs],
    });
  });

  it("waits for a user's restore, restores into an isolated scratch namespace, passes on equal bytes, seals the evidence and cleans up", async () => {
    const user = await userRestore();
    const queued = await request(backend.server).post(pathOf(shop, 'drills'));
    expect(queued.status).toBe(201);
    const again = await request(backend.server).post(pathOf(shop, 'drills'));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(queued.body.id);
    const scratch = queued.body.scratchNamespace;
    expect(scratch).toMatch(
      new RegExp(`^${shopNs}-restore-drill-[0-9a-f]{8}$`),
    );

    // The user's restore goes first: nothing of the drill exists yet.
    await backend.runDrills();
    expect((await drillsOf(shop)).drills[0].state).toBe('queued');
    expect(await admin.getOptional(`/api/v1/namespaces/${scratch}`)).toBe(
      undefined,
    );
    await finishUserRestore(user.restoreName);

    const restoring = await runUntil(shop, d => d.state === 'restoring');
    expect(restoring).toMatchObject({
      backupName: `nightly-${shopNs}`,
      restoreName: scratch,
      volumes: [{ claim: 'data-db-0', bytesBackedUp: BACKED_UP_BYTES }],
    });
    const namespace = await admin.get(`/api/v1/namespaces/${scratch}`);
    expect(namespace.metadata.labels['openebs-portal.dev/drill']).toBe(
      queued.body.id,
    );
    expect(namespace.metadata.annotations['openebs-portal.dev/owner']).toBe(
      SHOP_TEAM,
    );
    const policy = await admin.get(
      `/apis/networking.k8s.io/v1/namespaces/${scratch}/networkpolicies/openebs-drill-deny-all`,
    );
    expect(policy.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    const veleroRestore = await admin.get(
      `/apis/velero.io/v1/namespaces/velero/restores/${scratch}`,
    );
    expect(veleroRestore.spec).toMatchObject({
      backupName: `nightly-${shopNs}`,
      includedNamespaces: [shopNs],
      namespaceMapping: { [shopNs]: scratch },
    });
    expect(veleroRestore.metadata.labels['openebs-portal.dev/drill']).toBe(
      queued.body.id,
    );

    // Acting as Velero and the kubelet: the pod back, its data, Ready.
    await admin.apply({
      ...fixtures.pod({
        namespace: scratch,
        name: 'db-0',
        claims: ['data-db-0'],
      }),
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
    await admin.apply(
      fixtures.podVolumeRestore({
        name: `${scratch}-db`,
        restoreName: scratch,
        podNamespace: scratch,
        podName: 'db-0',
        podVolume: 'data-0',
        phase: 'Completed',
        bytesDone: BACKED_UP_BYTES,
        totalBytes: BACKED_UP_BYTES,
      }),
    );
    await admin.apply(
      fixtures.restore({
        name: scratch,
        phase: 'Completed',
        startedMinutesAgo: 1,
        durationSeconds: 40,
      }),
    );
    const passed = await runUntil(shop, d => d.state === 'passed');
    expect(passed).toMatchObject({
      volumes: [
        {
          claim: 'data-db-0',
          bytesBackedUp: BACKED_UP_BYTES,
          bytesRestored: BACKED_UP_BYTES,
        },
      ],
      reason: '1 volume, 3 MiB restored, equal to what the backup holds',
      recoverySeconds: expect.any(Number),
    });

    // The drill's copy never shows as the team's volumes.
    const storage = await request(backend.server).get(pathOf(shop, 'storage'));
    expect(storage.body.clusters[0].namespaces).toEqual([shopNs]);

    // Cleanup: the namespace is deleted (the test finishing what the
    // namespace controller would), then recorded as cleaned.
    await backend.runDrills();
    await admin.finishNamespaceDeletion(scratch);
    const cleaned = await runUntil(shop, d => Boolean(d.cleanedAt));
    expect(cleaned.state).toBe('passed');
    expect(await admin.getOptional(`/api/v1/namespaces/${scratch}`)).toBe(
      undefined,
    );

    const listed = await drillsOf(shop);
    expect(listed.lastPassed.id).toBe(queued.body.id);
    expect(listed.evidence).toMatchObject({ intact: true, signed: true });
    const exported = await request(backend.server).get(
      pathOf(shop, 'drills/evidence'),
    );
    expect(exported.headers['content-disposition']).toContain('attachment');
    expect(exported.body.check.intact).toBe(true);
    expect(exported.body.records).toEqual([
      expect.objectContaining({
        evidence: expect.objectContaining({
          id: queued.body.id,
          state: 'passed',
          backupName: `nightly-${shopNs}`,
          volumes: [
            expect.objectContaining({ bytesRestored: BACKED_UP_BYTES }),
          ],
        }),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
  });

  it("stands down for a user's restore that arrives before Velero starts the drill, and is queued again", async () => {
    const queued = await request(backend.server).post(pathOf(shop, 'drills'));
    expect(queued.status).toBe(201);
    await runUntil(shop, d => d.state === 'restoring');
    const user = await userRestore();

    const requeued = await runUntil(
      shop,
      d => d.state === 'queued' && d.id !== queued.body.id,
    );
    const { drills } = await drillsOf(shop);
    expect(drills.find((d: any) => d.id === queued.body.id)).toMatchObject({
      state: 'yielded',
      reason: expect.stringContaining("A user's restore"),
    });
    expect(
      await admin.getOptional(
        `/apis/velero.io/v1/namespaces/velero/restores/${queued.body.scratchNamespace}`,
      ),
    ).toBe(undefined);
    // The yielded drill's namespace goes too.
    await backend.runDrills();
    await admin.finishNamespaceDeletion(queued.body.scratchNamespace);
    await backend.runDrills();
    const yielded = (await drillsOf(shop)).drills.find(
      (d: any) => d.id === queued.body.id,
    );
    expect(yielded.cleanedAt).toEqual(expect.any(String));
    expect(
      await admin.getOptional(
        `/api/v1/namespaces/${queued.body.scratchNamespace}`,
      ),
    ).toBe(undefined);

    // After the user's restore, the requeued drill starts.
    await finishUserRestore(user.restoreName);
    const restarted = await runUntil(
      shop,
      d => d.id === requeued.id && d.state === 'restoring',
    );
    expect(restarted.scratchNamespace).not.toBe(queued.body.scratchNamespace);
  });

  it("lets the portal's service account create and delete only drill namespaces, and network policies and execs only there", async () => {
    // The portal's own token, as deploy/backstage-rbac.yaml grants it.
    const portal = new LabAdmin({ ...lab, adminToken: lab.backstageToken });
    const status = (promise: Promise<unknown>) =>
      promise.then(
        () => 200,
        (error: any) => error.statusCode,
      );
    const plain = `${shopNs}-restore-plain`;
    try {
      expect(await status(portal.create(fixtures.namespace(plain)))).toBe(403);
      expect(
        await status(portal.request('DELETE', `/api/v1/namespaces/${shopNs}`)),
      ).toBe(403);
      expect(
        await status(
          portal.create({
            apiVersion: 'networking.k8s.io/v1',
            kind: 'NetworkPolicy',
            metadata: { name: 'allow-all', namespace: shopNs },
            spec: { podSelector: {}, ingress: [{}] },
          }),
        ),
      ).toBe(403);
      expect(await admin.getOptional(`/api/v1/namespaces/${plain}`)).toBe(
        undefined,
      );
      expect(
        (await admin.get(`/api/v1/namespaces/${shopNs}`)).metadata
          .deletionTimestamp,
      ).toBe(undefined);

      const drillNs = `${shopNs}-restore-drill-vap`;
      const labelled = fixtures.namespace(drillNs);
      (labelled.metadata as any).labels = { 'openebs-portal.dev/drill': 'x' };
      expect(await status(portal.create(labelled))).toBe(200);

      // The entity's verification, run as the drill runner runs it: refused
      // in the team's namespace; admitted in a drill's (this lab has no
      // kubelet, so the API server then says the pod has no node).
      const portalKubeConfig = kubeConfigFor({
        name: 'lab',
        url: lab.url,
        caData: lab.caData,
        serviceAccountToken: lab.backstageToken,
        skipTLSVerify: false,
      });
      await admin.apply(
        fixtures.pod({ namespace: drillNs, name: 'db-0', claims: [] }),
      );
      const verification = { command: 'echo hello' };
      const refused = await runVerification(
        portalKubeConfig,
        shopNs,
        'db-0',
        verification,
      );
      expect(refused).toMatchObject({ passed: false, pod: 'db-0' });
      expect(refused.output).toContain('403');
      const admitted = await runVerification(
        portalKubeConfig,
        drillNs,
        'db-0',
        verification,
      );
      expect(admitted.passed).toBe(false);
      expect(admitted.output).not.toContain('403');
      expect(admitted.output).toContain('400');

      expect(
        await status(portal.request('DELETE', `/api/v1/namespaces/${drillNs}`)),
      ).toBe(200);
      await admin.finishNamespaceDeletion(drillNs);
    } finally {
      portal.close();
    }
  });

  it('enrols from the tab: its choice wins over the annotation while set, and a bad one changes nothing', async () => {
    const enrol = (entity: Entity, body: unknown) =>
      request(backend.server)
        .put(pathOf(entity, 'drills/enrolment'))
        .send(body as object);

    // shop has no annotation: the tab enrols it.
    const daily = await enrol(shop, { cadence: 'daily' });
    expect(daily.status).toBe(200);
    expect(daily.body.enrolled).toMatchObject({
      cadence: 'daily',
      source: 'tab',
      setBy: expect.stringMatching(/^user:/),
    });
    expect((await drillsOf(shop)).tabChoice).toBe('daily');

    // forged is annotated weekly: `off` stops it, `null` gives it back.
    const off = await enrol(forged, { cadence: 'off' });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ annotated: 'weekly', tabChoice: 'off' });
    expect(off.body.enrolled).toBeUndefined();
    const back = await enrol(forged, { cadence: null });
    expect(back.body.enrolled).toEqual({
      cadence: 'weekly',
      source: 'annotation',
    });
    expect(back.body.tabChoice).toBeUndefined();

    // Refused with a clear message; the tab's choice is as it was.
    const bad = await enrol(shop, { cadence: 'hourly' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'cadence must be one of daily, weekly, off, or null',
    );
    expect((await drillsOf(shop)).enrolled.cadence).toBe('daily');
    await enrol(shop, { cadence: null });
    expect((await drillsOf(shop)).enrolled).toBeUndefined();
  });
});

describe('a drill enrolment made on the tab', () => {
  it('is what the schedule reads: an entity enrolled only there gets its scheduled drill (here refused, with nothing created)', async () => {
    // Its own backend, so that the schedule's first pass is this test's.
    const lonely = component('lonely', `drill-lonely-${run}`);
    const backend = await startStorageTestBackend({
      clusters: [labClusterConfig(lab)],
      entities: [lonely],
      allow: ['openebs.storage.read', 'openebs.storage.restore.create'],
    });
    try {
      const enrolled = await request(backend.server)
        .put(pathOf(lonely, 'drills/enrolment'))
        .send({ cadence: 'weekly' });
      expect(enrolled.body.enrolled).toMatchObject({ source: 'tab' });
      await backend.runDrills();
      const listed = await request(backend.server).get(
        pathOf(lonely, 'drills'),
      );
      expect(listed.body.drills).toEqual([
        expect.objectContaining({
          startedBy: 'schedule',
          state: 'failed',
          reason: expect.stringMatching(/^Could not start: /),
        }),
      ]);
      expect(
        await admin.getOptional(`/api/v1/namespaces/drill-lonely-${run}`),
      ).toBe(undefined);
    } finally {
      await backend.backend.stop();
    }
  });
});
