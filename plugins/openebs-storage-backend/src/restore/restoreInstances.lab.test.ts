import { Entity } from '@backstage/catalog-model';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import { randomUUID } from 'crypto';
import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
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

/*
 * Two backend instances on one PostgreSQL (Debian's server, started by
 * scripts/test.sh): a request submitted to both creates one record and one
 * Restore, and one tracker follows it, announcing the outcome once.
 */

jest.setTimeout(90_000);

const postgresId = process.env.OPENEBS_TEST_POSTGRES_ID as
  | TestDatabaseId
  | undefined;
if (!postgresId) {
  throw new Error(
    'No PostgreSQL for the multi-instance tests: run scripts/test.sh, which starts one (scripts/postgres.sh) and sets OPENEBS_TEST_POSTGRES_ID',
  );
}
const databases = TestDatabases.create({ ids: [postgresId] });

const lab = labCluster();
const admin = new LabAdmin(lab);
const run = Math.random().toString(36).slice(2, 8);
const ns = `ledger-${run}`;
const backupName = `nightly-ledger-${run}`;

const ledger: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ledger',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': `ledger-${run}`,
      'backstage.io/kubernetes-namespace': ns,
    },
  },
  spec: {
    type: 'service',
    owner: 'group:default/team-ledger',
    lifecycle: 'production',
  },
};
const restoresPath =
  '/api/openebs-storage/entities/component/default/ledger/restores';
/** Two more components of the ledger team on the same workload. */
const mirrors = ['ledger-audit', 'ledger-reports'].map(name => ({
  ...ledger,
  metadata: { ...ledger.metadata, name },
}));

async function createFixtures() {
  for (const manifest of fixtures.storageClasses()) await admin.apply(manifest);
  await admin.apply(
    fixtures.storageLocation({ name: 'default', phase: 'Available' }),
  );
  await applyBackedUpWorkload(admin, {
    namespace: ns,
    owner: 'group:default/team-ledger',
    pod: 'ledger-0',
    claim: 'data-ledger-0',
    labels: { 'backstage.io/kubernetes-id': `ledger-${run}` },
    backupName,
    backupHoursAgo: 1,
  });
}

/** A new request for ledger's volume into targetNamespace. */
function restoreBody(targetNamespace: string) {
  return {
    requestId: randomUUID(),
    cluster: 'lab',
    backupName,
    namespace: ns,
    volumes: ['data-ledger-0'],
    mode: 'new-namespace',
    targetNamespace,
  };
}

/** Exactly one of the requests made its Restore. */
async function expectOneRestoreOf(bodies: Array<{ requestId: string }>) {
  const created = await Promise.all(
    bodies.map(b => admin.restoresOfRequest(b.requestId)),
  );
  expect(created.map(c => c.length).sort()).toEqual([0, 1]);
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('two backend instances on one PostgreSQL', () => {
  const instances: StorageTestBackend[] = [];

  beforeAll(async () => {
    await createFixtures();
    const knex = await databases.init(postgresId);
    for (let i = 0; i < 2; i++) {
      instances.push(
        await startStorageTestBackend({
          clusters: [labClusterConfig(lab)],
          entities: [ledger, ...mirrors],
          database: { knex },
          scheduler: 'real',
          config: {
            openebsStorage: { restoreTracking: { frequencySeconds: 1 } },
          },
        }),
      );
    }
    // Both caches have the backup before anyone asks for it.
    for (const instance of instances) {
      await waitFor('the backup in the cache', async () => {
        const res = await request(instance.server).get(
          '/api/openebs-storage/entities/component/default/ledger/storage',
        );
        return res.body.clusters?.[0]?.volumes?.[0]?.backups?.length === 1
          ? true
          : undefined;
      });
    }
  });

  afterAll(async () => {
    for (const instance of instances) await instance.backend.stop();
  });

  it('creates one record and one Restore for a request sent to both, many times', async () => {
    const body = restoreBody(`${ns}-restore-1`);
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        request(instances[i % 2].server)
          .post(restoresPath)
          .send(body),
      ),
    );
    expect(responses.map(r => r.status).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    expect(new Set(responses.map(r => r.body.id)).size).toBe(1);

    expect(await admin.restoresOfRequest(body.requestId)).toHaveLength(1);

    for (const instance of instances) {
      const list = await request(instance.server).get(restoresPath);
      expect(
        list.body.items.filter(
          (r: RestoreRequest) => r.requestId === body.requestId,
        ),
      ).toHaveLength(1);
    }

    // Acting as Velero, the Restore runs and completes; one tracker records
    // it and the outcome is announced once, whichever instance saw it.
    const restoreName = responses[0].body.restoreName;
    await admin.apply(
      fixtures.restore({
        name: restoreName,
        phase: 'InProgress',
        startedMinutesAgo: 2,
      }),
    );
    await admin.apply(
      fixtures.restore({
        name: restoreName,
        phase: 'Completed',
        startedMinutesAgo: 2,
        durationSeconds: 90,
      }),
    );
    const done = await waitFor('the tracker to record Completed', async () => {
      const res = await request(instances[0].server).get(restoresPath);
      const found = res.body.items.find(
        (r: RestoreRequest) => r.requestId === body.requestId,
      );
      return found?.state === 'completed' ? found : undefined;
    });
    expect(done).toMatchObject({
      phase: 'Completed',
      durationSeconds: 90,
      withinServiceLevel: true,
    });

    // Let a few more tracker rounds run on both instances.
    await new Promise(r => setTimeout(r, 3_000));
    const completedSignals = instances.flatMap(i =>
      i.signals.publish.mock.calls.filter(
        ([signal]) =>
          (signal.message as any).requestId === done.id &&
          (signal.message as any).state === 'completed',
      ),
    );
    expect(completedSignals).toHaveLength(1);
    const notifications = instances.flatMap(i =>
      i.notifications.send.mock.calls.filter(
        ([n]) => n.payload.scope === done.id,
      ),
    );
    expect(notifications).toHaveLength(1);
  });

  it('keeps the per-entity cap across instances: of two requests at once, one is refused', async () => {
    const bodies = [1, 2].map(() =>
      restoreBody(`${ns}-restore-${randomUUID().slice(0, 8)}`),
    );
    const responses = await Promise.all(
      bodies.map((body, i) =>
        request(instances[i].server).post(restoresPath).send(body),
      ),
    );
    expect(responses.map(r => r.status).sort()).toEqual([201, 429]);
    await expectOneRestoreOf(bodies);
  });

  it('holds a target across instances: two requesters cannot aim at the same new namespace', async () => {
    const targetNamespace = `${ns}-restore-shared`;
    const bodies = [1, 2].map(() => restoreBody(targetNamespace));
    const responses = await Promise.all(
      mirrors.map((mirror, i) =>
        request(instances[i].server)
          .post(
            `/api/openebs-storage/entities/component/default/${mirror.metadata.name}/restores`,
          )
          .set(
            'Authorization',
            mockCredentials.user.header(`user:default/requester-${i}`),
          )
          .send(bodies[i]),
      ),
    );
    expect(responses.map(r => r.status).sort()).toEqual([201, 409]);
    const refused = responses.find(r => r.status === 409)!;
    expect(refused.body.error.message).toContain(
      `${targetNamespace} is the target of restore`,
    );
    await expectOneRestoreOf(bodies);
  });
});
