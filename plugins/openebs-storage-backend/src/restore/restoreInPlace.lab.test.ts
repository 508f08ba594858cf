import { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import request from 'supertest';
import { fixtures, LabAdmin, labCluster } from '@openebs-portal/lab-testkit';
import { ledgerWorld } from '../__testUtils__/ledgerWorld';
import {
  labClusterConfig,
  startStorageTestBackend,
  StorageTestBackend,
} from '../__testUtils__/testBackend';

/*
 * The steps of an in-place restore against the real kube-apiserver, with
 * the Backstage service account's real RBAC (deploy/backstage-rbac.yaml):
 * the portal scales the StatefulSet through its scale subresource, deletes
 * pods stuck on a dead node, deletes claims with their UID as precondition
 * and, on the dead node, their volumes, creates the Restore with its
 * resource modifier, deletes the pods Velero ran and scales back.
 *
 * The API-only lab runs no controllers, kubelet or Velero: the test plays
 * them where a step waits on them (the StatefulSet controller deleting its
 * pods, Velero finishing and leaving its pod, the pods becoming Ready). The
 * full lab's Chromium story runs the same steps with all of them real.
 */

jest.setTimeout(60_000);

const lab = labCluster();
const admin = new LabAdmin(lab);
const {
  ns,
  ids,
  CLAIMS,
  entity: ledger,
  restoresPath,
  statefulSet,
  ledgerPod,
  inPlaceBody,
  claimPath,
  podPath,
  setPath,
  create: createWorld,
} = ledgerWorld(admin);

describe('in-place restore steps against the lab apiserver', () => {
  let backend: StorageTestBackend;

  beforeAll(async () => {
    await createWorld();
    backend = await startStorageTestBackend({
      clusters: [labClusterConfig(lab)],
      entities: [ledger],
    });
    // Synced once the backup shows against both claims.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await request(backend.server).get(
        '/api/openebs-storage/entities/component/default/ledger/storage',
      );
      const volumes = res.body.clusters?.[0]?.volumes ?? [];
      if (volumes.filter((v: any) => v.backups.length > 0).length === 2) break;
      if (Date.now() > deadline) throw new Error('caches did not sync');
      await new Promise(r => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    await backend?.backend.stop();
  });

  /** Runs the tracker until the request satisfies `done`. */
  async function trackUntil(
    id: string,
    done: (r: RestoreRequest) => boolean,
  ): Promise<RestoreRequest> {
    const deadline = Date.now() + 20_000;
    let last: RestoreRequest | undefined;
    while (Date.now() < deadline) {
      await backend.trackRestores();
      const res = await request(backend.server).get(restoresPath);
      last = res.body.items.find((r: RestoreRequest) => r.id === id);
      if (last && done(last)) return last;
      await new Promise(r => setTimeout(r, 150));
    }
    throw new Error(`request ${id} stuck at ${JSON.stringify(last?.inPlace)}`);
  }
  const stepStates = (r: RestoreRequest) => r.inPlace!.steps.map(s => s.state);

  it('stops, removes, restores and starts again, step by step', async () => {
    const body = inPlaceBody();
    const preview = await request(backend.server)
      .post(`${restoresPath}/preview`)
      .send({ ...body, requestId: undefined });
    expect(preview.status).toBe(200);
    expect(preview.body.inPlace).toEqual({
      workloads: ['StatefulSet/ledger'],
      claimsRemoved: CLAIMS,
      onDeadNodes: ['data-ledger-1'],
    });

    const res = await request(backend.server).post(restoresPath).send(body);
    expect(res.status).toBe(201);
    const created: RestoreRequest = res.body;
    expect(created.inPlace!.workloads).toEqual([
      { kind: 'StatefulSet', name: 'ledger' },
    ]);

    // Replicas recorded, then scaled to zero; the pod on the dead node is
    // force-deleted (its kubelet cannot), the other one waits for its
    // controller.
    const stopping = await trackUntil(
      created.id,
      r => r.inPlace!.workloads[0].replicas === 2,
    );
    expect(stepStates(stopping)[0]).toBe('running');
    await trackUntil(created.id, () => true);
    expect((await admin.get(setPath)).spec.replicas).toBe(0);
    expect(await admin.getOptional(podPath('ledger-1'))).toBeUndefined();
    expect(await admin.getOptional(podPath('ledger-0'))).toBeDefined();
    expect(await admin.getOptional(claimPath('data-ledger-0'))).toBeDefined();

    // Playing the StatefulSet controller: its pod goes at zero replicas.
    await admin.remove(ledgerPod(0, { metadata: { uid: '' } }));
    const restoring = await trackUntil(
      created.id,
      r => r.inPlace!.steps[2].state === 'running' && r.phase !== undefined,
    );
    expect(stepStates(restoring)).toEqual([
      'done',
      'done',
      'running',
      'pending',
      'pending',
    ]);
    for (const claim of CLAIMS) {
      expect(await admin.getOptional(claimPath(claim))).toBeUndefined();
    }
    // The dead node's volume is deleted; the live node's is the provisioner's.
    expect(
      await admin.getOptional(
        `/api/v1/persistentvolumes/pvc-${ns}-data-ledger-1`,
      ),
    ).toBeUndefined();
    expect(
      await admin.getOptional(
        `/api/v1/persistentvolumes/pvc-${ns}-data-ledger-0`,
      ),
    ).toBeDefined();
    const restore = await admin.get(
      `/apis/velero.io/v1/namespaces/velero/restores/${created.restoreName}`,
    );
    expect(restore.spec.resourceModifier.name).toBe(created.restoreName);

    // Playing Velero: its pod, relabelled by the modifier, and the end.
    await admin.apply({
      ...fixtures.pod({ namespace: ns, name: 'ledger-0', claims: [] }),
      metadata: {
        namespace: ns,
        name: 'ledger-0',
        labels: { 'openebs-portal.dev/restore-pod': created.restoreName },
      },
    });
    await admin.writeStatus(restore, {
      phase: 'Completed',
      startTimestamp: new Date(Date.now() - 30_000)
        .toISOString()
        .replace(/\.\d+Z$/, 'Z'),
      completionTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    });
    const starting = await trackUntil(
      created.id,
      r => r.inPlace!.steps[4].state === 'running',
    );
    expect(starting.phase).toBe('Completed');
    expect(await admin.getOptional(podPath('ledger-0'))).toBeUndefined();
    expect((await admin.get(setPath)).spec.replicas).toBe(2);
    expect(starting.state).toBe('in-progress');

    // Playing the controller and kubelets: the pods become Ready.
    await admin.writeStatus(statefulSet, { replicas: 2, readyReplicas: 2 });
    const done = await trackUntil(created.id, r => r.state !== 'in-progress');
    expect(done.state).toBe('completed');
    expect(stepStates(done)).toEqual(Array(5).fill('done'));
    expect(done.durationSeconds).toBe(30);
  });

  it('deletes no claim that was created again after the request was checked', async () => {
    // The workload as the first story left it, running again.
    const set = await admin.get(setPath);
    for (const ordinal of [0, 1]) {
      const { claim, volume } = fixtures.claim({
        namespace: ns,
        name: `data-ledger-${ordinal}`,
        storageClass: 'openebs-localpv-hostpath',
        labels: ids,
        node: 'lab-node-1',
      });
      await admin.apply(claim);
      await admin.apply(volume);
      await admin.apply(ledgerPod(ordinal, set));
    }
    const body = inPlaceBody();
    // The caches see the claims and their pods again first.
    for (const deadline = Date.now() + 20_000; ; ) {
      const storage = await request(backend.server).get(
        '/api/openebs-storage/entities/component/default/ledger/storage',
      );
      const volumes = storage.body.clusters?.[0]?.volumes ?? [];
      const mounted = volumes.filter(
        (v: any) => v.phase !== 'Deleted' && v.pods?.length > 0,
      );
      if (mounted.length === 2) break;
      if (Date.now() > deadline) throw new Error('claims not seen again');
      await new Promise(r => setTimeout(r, 200));
    }
    const res = await request(backend.server).post(restoresPath).send(body);
    expect(res.status).toBe(201);
    expect(res.body.inPlace.claims.every((c: any) => c.uid)).toBe(true);
    const created: RestoreRequest = res.body;
    await trackUntil(created.id, r => r.inPlace!.workloads[0].replicas === 2);
    await trackUntil(created.id, () => true);

    // The pods go; meanwhile someone deletes a claim and makes it anew.
    for (const ordinal of [0, 1]) {
      await admin.remove(ledgerPod(ordinal, set));
    }
    const first = fixtures.claim({
      namespace: ns,
      name: 'data-ledger-0',
      storageClass: 'openebs-localpv-hostpath',
      labels: ids,
      node: 'lab-node-1',
    }).claim;
    await admin.remove(first);
    const recreated = await admin.apply(first);

    const failed = await trackUntil(created.id, r => r.state !== 'in-progress');
    expect(failed.state).toBe('failed');
    expect(failed.failureReason).toContain(
      'Step remove-claims failed: claim(s) data-ledger-0 were created again since the request was checked; nothing was deleted',
    );
    expect(failed.failureReason).toContain('The workloads stay at 0 replicas');
    expect(stepStates(failed)).toEqual([
      'done',
      'failed',
      'pending',
      'pending',
      'pending',
    ]);
    // Both claims still there, the new one untouched; no Restore created.
    expect((await admin.get(claimPath('data-ledger-0'))).metadata.uid).toBe(
      recreated.metadata.uid,
    );
    expect(await admin.getOptional(claimPath('data-ledger-1'))).toBeDefined();
    expect(await admin.restoresOfRequest(body.requestId)).toEqual([]);
  });

  it('stops at a failed Velero restore and leaves the workload stopped', async () => {
    // As the last story left it: the StatefulSet at zero, the claims there.
    const body = inPlaceBody();
    const res = await request(backend.server).post(restoresPath).send(body);
    expect(res.status).toBe(201);
    const created: RestoreRequest = res.body;
    const restoring = await trackUntil(
      created.id,
      r => r.inPlace!.steps[2].state === 'running' && r.phase !== undefined,
    );
    expect(restoring.state).toBe('in-progress');
    const restore = await admin.get(
      `/apis/velero.io/v1/namespaces/velero/restores/${created.restoreName}`,
    );
    await admin.writeStatus(restore, {
      phase: 'Failed',
      failureReason: 'error getting backup store',
    });
    const failed = await trackUntil(created.id, r => r.state !== 'in-progress');
    expect(failed).toMatchObject({ state: 'failed', phase: 'Failed' });
    expect(failed.failureReason).toContain(
      'Step restore failed: Velero ended the restore Failed (error getting backup store)',
    );
    expect(stepStates(failed)).toEqual([
      'done',
      'done',
      'failed',
      'pending',
      'pending',
    ]);
    expect((await admin.get(setPath)).spec.replicas).toBe(0);
  });
});
