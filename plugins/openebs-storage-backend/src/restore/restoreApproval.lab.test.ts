import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import request from 'supertest';
import { LabAdmin, labCluster } from '@openebs-portal/lab-testkit';
import { ledgerWorld } from '../__testUtils__/ledgerWorld';
import {
  labClusterConfig,
  startStorageTestBackend,
  StorageTestBackend,
} from '../__testUtils__/testBackend';

/*
 * Approval of destructive restores against the real kube-apiserver: an
 * owner who may request but not execute an in-place restore gets a request
 * that waits, and nothing in the cluster changes until another user with
 * the in-place permission approves it; a rejection changes nothing at all.
 */

jest.setTimeout(60_000);

const lab = labCluster();
const admin = new LabAdmin(lab);
const world = ledgerWorld(admin);
const OWNER = 'user:default/olivia';
const ADMIN = 'user:default/ops';
const SECOND_ADMIN = 'user:default/root';
const as = (user: string) => mockCredentials.user.header(user);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * The portal with its permissions: everyone may read and request; the
 * in-place permission (approve, execute) is `admins`' only.
 */
function startPortal(knex: Knex, admins: string[]) {
  return startStorageTestBackend({
    clusters: [labClusterConfig(lab)],
    entities: [world.entity],
    allow: ['openebs.storage.read', 'openebs.storage.restore.create'],
    admins,
    database: { knex },
    config: {
      openebsStorage: {
        approvers: ['group:default/platform-admins'],
        restoreLimits: { activePerEntity: 5, activePerUser: 5 },
      },
    },
  });
}

/** Until the backend's caches show the backup against both claims. */
async function whenSynced(portal: StorageTestBackend) {
  for (const deadline = Date.now() + 30_000; ; ) {
    const res = await request(portal.server)
      .get(world.restoresPath.replace(/restores$/, 'storage'))
      .set('Authorization', as(OWNER));
    const volumes = res.body.clusters?.[0]?.volumes ?? [];
    if (volumes.filter((v: any) => v.backups.length > 0).length === 2) break;
    if (Date.now() > deadline) throw new Error('caches did not sync');
    await new Promise(r => setTimeout(r, 200));
  }
}

describe('approval of in-place restores against the lab apiserver', () => {
  let backend: StorageTestBackend;
  let knex: Knex;

  beforeAll(async () => {
    await world.create();
    knex = await databases.init('SQLITE_3');
    backend = await startPortal(knex, [ADMIN, SECOND_ADMIN]);
    await whenSynced(backend);
  });

  afterAll(async () => {
    await backend?.backend.stop();
  });

  /** What an in-place request would change: replicas, claims, Restores. */
  async function footprint() {
    const names = async (apiPath: string) =>
      ((await admin.get(apiPath)).items as any[])
        .map(item => `${item.metadata.name}/${item.metadata.uid}`)
        .sort();
    return {
      replicas: (await admin.get(world.setPath)).spec.replicas,
      claims: await names(
        `/api/v1/namespaces/${world.ns}/persistentvolumeclaims`,
      ),
      pods: await names(`/api/v1/namespaces/${world.ns}/pods`),
      restores: (
        await admin.get('/apis/velero.io/v1/namespaces/velero/restores')
      ).items
        .filter((r: any) => r.spec.includedNamespaces?.includes(world.ns))
        .map((r: any) => r.metadata.name),
    };
  }

  async function track(times = 3) {
    for (let i = 0; i < times; i++) {
      await backend.trackRestores();
      await new Promise(r => setTimeout(r, 150));
    }
  }

  async function listed(id: string): Promise<RestoreRequest> {
    const res = await request(backend.server)
      .get(world.restoresPath)
      .set('Authorization', as(OWNER));
    return res.body.items.find((r: RestoreRequest) => r.id === id);
  }

  const decide = (id: string, user: string, verb: string, body?: object) =>
    request(backend.server)
      .post(`${world.restoresPath}/${id}/${verb}`)
      .set('Authorization', as(user))
      .send(body);

  it('waits for approval and changes nothing meanwhile; its requester cannot approve it; a rejection ends it', async () => {
    const before = await footprint();
    const res = await request(backend.server)
      .post(world.restoresPath)
      .set('Authorization', as(OWNER))
      .send(world.inPlaceBody());
    expect(res.status).toBe(201);
    const waiting: RestoreRequest = res.body;
    expect(waiting).toMatchObject({
      state: 'awaiting-approval',
      requestedBy: OWNER,
    });
    // The platform admins are told; the tracker leaves it alone.
    expect(backend.notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: ['group:default/platform-admins'],
        },
        payload: expect.objectContaining({
          title: `In-place restore of data-ledger-0, data-ledger-1 in ${world.ns} awaits approval`,
          topic: 'openebs-storage-restore-approval',
        }),
      }),
    );
    await track();
    expect((await listed(waiting.id)).state).toBe('awaiting-approval');
    expect(await footprint()).toEqual(before);

    // Neither the owner (no in-place permission) nor a rejection without a
    // reason decides it.
    const byOwner = await decide(waiting.id, OWNER, 'approve');
    expect(byOwner.status).toBe(403);
    const noReason = await decide(waiting.id, ADMIN, 'reject', {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('A rejection needs a reason');

    // Rejected by an admin: ended, nothing changed, not approvable after.
    const rejected = await decide(waiting.id, ADMIN, 'reject', {
      reason: 'restore last night only after the incident review',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      state: 'rejected',
      approval: {
        decision: 'rejected',
        decidedBy: ADMIN,
        reason: 'restore last night only after the incident review',
      },
      failureReason: `Rejected by ${ADMIN}: restore last night only after the incident review`,
    });
    expect((await decide(waiting.id, SECOND_ADMIN, 'approve')).status).toBe(
      409,
    );
    await track();
    expect(await footprint()).toEqual(before);
  });

  it('is not approved by its requester, even once they may approve', async () => {
    // Asked while SECOND_ADMIN was no platform admin (another instance on
    // the same database, with the permissions of that time) ...
    const before = await startPortal(knex, [ADMIN]);
    let id: string;
    try {
      await whenSynced(before);
      const res = await request(before.server)
        .post(world.restoresPath)
        .set('Authorization', as(SECOND_ADMIN))
        .send(world.inPlaceBody());
      expect(res.body.state).toBe('awaiting-approval');
      id = res.body.id;
    } finally {
      await before.backend.stop();
    }
    // ... and approved by themselves now that they are one: refused.
    const own = await decide(id, SECOND_ADMIN, 'approve');
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe(
      'A request is approved by another platform admin than its requester',
    );
    expect((await listed(id)).state).toBe('awaiting-approval');
    const rejected = await decide(id, ADMIN, 'reject', {
      reason: 'asked before the role change',
    });
    expect(rejected.body.state).toBe('rejected');
  });

  it('runs once another user approves it', async () => {
    const res = await request(backend.server)
      .post(world.restoresPath)
      .set('Authorization', as(OWNER))
      .send(world.inPlaceBody());
    const waiting: RestoreRequest = res.body;
    expect(waiting.state).toBe('awaiting-approval');

    const approved = await decide(waiting.id, ADMIN, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'in-progress',
      requestedBy: OWNER,
      approval: { decision: 'approved', decidedBy: ADMIN },
      inPlace: {
        workloads: [{ kind: 'StatefulSet', name: 'ledger' }],
      },
    });
    // The steps start: replicas recorded, then the StatefulSet stopped.
    for (const deadline = Date.now() + 20_000; ; ) {
      await track(1);
      if ((await admin.get(world.setPath)).spec.replicas === 0) break;
      if (Date.now() > deadline) throw new Error('the workload never stopped');
    }
    expect((await listed(waiting.id)).inPlace!.workloads[0].replicas).toBe(2);
  });
});
