import { Entity } from '@backstage/catalog-model';
import {
  RESTORE_SIGNAL_CHANNEL,
  RestoreRequest,
} from '@openebs-portal/plugin-openebs-storage-common';
import { execFileSync } from 'child_process';
import { randomUUID } from 'crypto';
import fs from 'fs';
import http from 'http';
import https from 'https';
import os from 'os';
import path from 'path';
import { AddressInfo } from 'net';
import request from 'supertest';
import { gzipSync } from 'zlib';
import { fixtures, LabAdmin, labCluster } from '@openebs-portal/lab-testkit';
import {
  labClusterConfig,
  startStorageTestBackend,
  StorageTestBackend,
} from '../__testUtils__/testBackend';

/*
 * Restore requests end to end against the real kube-apiserver: the request
 * yields exactly the Restore docs/restores.md describes, the tracker follows the
 * statuses a test (acting as Velero) writes, and every crafted or foreign
 * request is refused without creating anything.
 */

jest.setTimeout(60_000);

const lab = labCluster();
const admin = new LabAdmin(lab);
const run = Math.random().toString(36).slice(2, 8);
const ns = `orders-${run}`;
const foreignNs = `billing-${run}`;
/** Follows the naming rule of ns, but is another team's. */
const takenTarget = `${ns}-restore-taken`;
const user = 'user:default/mock';

const orders: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': `orders-${run}`,
      'backstage.io/kubernetes-namespace': ns,
    },
  },
  spec: {
    type: 'service',
    owner: 'group:default/team-orders',
    lifecycle: 'production',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-orders' }],
};

const restoresPath =
  '/api/openebs-storage/entities/component/default/orders/restores';
const nightly = `nightly-${run}`;
const earlier = `earlier-${run}`;

/** A self-signed certificate for 127.0.0.1: its own CA, as a private S3's would be. */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openebs-s3-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        '/CN=lab-s3',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-days',
        '1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'pipe' },
    );
    return {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
/** The object store the default location names in its caCert. */
const trustedS3 = selfSignedCertificate();

async function createFixtures() {
  for (const manifest of fixtures.storageClasses()) await admin.apply(manifest);
  await admin.apply(
    fixtures.storageLocation({
      name: 'default',
      phase: 'Available',
      caCertPem: trustedS3.cert,
    }),
  );
  await admin.apply(
    fixtures.storageLocation({ name: `offline-${run}`, phase: 'Unavailable' }),
  );
  await admin.apply(fixtures.namespace(ns, 'group:default/team-orders'));
  await admin.apply(
    fixtures.namespace(foreignNs, 'group:default/team-billing'),
  );
  await admin.apply(
    fixtures.namespace(takenTarget, 'group:default/team-billing'),
  );
  const ids = { 'backstage.io/kubernetes-id': `orders-${run}` };
  const db = fixtures.claim({
    namespace: ns,
    name: 'data-db-0',
    storageClass: 'openebs-localpv-hostpath',
    node: 'lab-node-1',
  });
  const claim = await admin.apply(db.claim);
  await admin.apply(db.volume);
  await admin.apply(
    fixtures.pod({
      namespace: ns,
      name: 'db-0',
      labels: ids,
      claims: ['data-db-0'],
    }),
  );
  // data-lost: backed up, then deleted with its workload (the in-place case).

  const backups = [
    // Taken before data-db-0 was deleted and created again (a new UID, as
    // after a StatefulSet re-creates its claim or an in-place restore).
    {
      name: earlier,
      phase: 'Completed',
      volumes: ['data-db-0'],
      earlierClaim: true,
      hoursAgo: 30,
    },
    { name: nightly, phase: 'Completed', volumes: ['data-db-0', 'data-lost'] },
    {
      name: `partial-${run}`,
      phase: 'PartiallyFailed',
      volumes: ['data-db-0'],
    },
    { name: `failed-${run}`, phase: 'Failed', volumes: [] },
    {
      name: `offline-${run}`,
      phase: 'Completed',
      volumes: ['data-db-0'],
      location: `offline-${run}`,
      // An hour before nightly: applied later, it could otherwise start a
      // second after it and become the newest good backup.
      hoursAgo: 4,
    },
  ];
  for (const b of backups) {
    const backup = await admin.apply(
      fixtures.backup({
        name: b.name,
        namespaces: [ns],
        phase: b.phase,
        startedHoursAgo: b.hoursAgo ?? 3,
        durationSeconds: 60,
        storageLocation: b.location,
      }),
    );
    for (const volume of b.volumes) {
      await admin.apply(
        fixtures.podVolumeBackup({
          name: `${b.name}-${volume}`,
          backupName: backup.metadata.name,
          backupUid: backup.metadata.uid,
          claimUid:
            volume === 'data-db-0' && !b.earlierClaim
              ? claim.metadata.uid
              : `uid-of-${b.earlierClaim ? 'an-earlier-' : ''}${volume}`,
          claimName: volume,
          podNamespace: ns,
          podName: 'db-0',
          phase: 'Completed',
          startedHoursAgo: b.hoursAgo ?? 3,
          durationSeconds: 30,
        }),
      );
    }
  }
}

/** What a request of this file could have created (jest runs files at once). */
/**
 * What a refused request must leave as it was: Restores and namespaces,
 * and for in-place requests the claims and pods (nothing deleted) and the
 * resource modifiers (nothing created).
 */
async function clusterFootprint() {
  const names = async (apiPath: string) =>
    ((await admin.get(apiPath)).items as any[])
      .map(item => item.metadata.name)
      .sort();
  return {
    ...(await admin.footprint(run, ['kube-system'])),
    claims: await names(`/api/v1/namespaces/${ns}/persistentvolumeclaims`),
    pods: await names(`/api/v1/namespaces/${ns}/pods`),
    modifiers: await names(
      '/api/v1/namespaces/velero/configmaps?labelSelector=openebs-portal.dev%2Frestore-request',
    ),
  };
}

function input(overrides: Record<string, unknown> = {}) {
  return {
    requestId: randomUUID(),
    cluster: 'lab',
    backupName: nightly,
    namespace: ns,
    volumes: ['data-db-0'],
    mode: 'new-namespace',
    targetNamespace: `${ns}-restore-1`,
    ...overrides,
  };
}

describe('restore requests against the lab apiserver', () => {
  let owner: StorageTestBackend;
  let admins: StorageTestBackend;

  async function whenSynced() {
    // The caches fill from watches; the backup list being readable is enough.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const res = await request(owner.server).get(
        '/api/openebs-storage/entities/component/default/orders/storage',
      );
      if (
        res.status === 200 &&
        res.body.clusters[0]?.volumes[0]?.backups.length >= 3
      )
        return;
      await new Promise(r => setTimeout(r, 200));
    }
    throw new Error('caches did not sync');
  }

  beforeAll(async () => {
    await createFixtures();
    // The caps are restoreTenancy.lab.test.ts's subject: here every story
    // leaves its restore in progress, so they are set out of the way.
    const config = {
      openebsStorage: {
        restoreLimits: { activePerEntity: 100, activePerUser: 100 },
      },
    };
    owner = await startStorageTestBackend({
      clusters: [labClusterConfig(lab)],
      entities: [orders],
      allow: ['openebs.storage.read', 'openebs.storage.restore.create'],
      config,
    });
    admins = await startStorageTestBackend({
      clusters: [labClusterConfig(lab)],
      entities: [orders],
      config,
    });
    await whenSynced();
  });

  afterAll(async () => {
    await owner?.backend.stop();
    await admins?.backend.stop();
  });

  it('creates exactly the Restore of the fixed shape, once per request id', async () => {
    const body = input();
    const first = await request(owner.server).post(restoresPath).send(body);
    expect(first.status).toBe(201);
    const created: RestoreRequest = first.body;
    expect(created).toMatchObject({
      entityRef: 'component:default/orders',
      cluster: 'lab',
      backupName: nightly,
      mode: 'new-namespace',
      sourceNamespace: ns,
      targetNamespace: `${ns}-restore-1`,
      volumes: ['data-db-0'],
      requestedBy: user,
      state: 'in-progress',
    });

    const [restore] = await admin.restoresOfRequest(body.requestId);
    expect(restore.metadata.name).toBe(created.restoreName);
    expect(restore.metadata.labels).toEqual({
      'openebs-portal.dev/restore-request': body.requestId,
      'openebs-portal.dev/requested-by': 'user.default.mock',
    });
    expect(restore.metadata.annotations).toEqual({
      'openebs-portal.dev/requested-by': user,
      'openebs-portal.dev/entity-ref': 'component:default/orders',
      'openebs-portal.dev/volumes': 'data-db-0',
      'openebs-portal.dev/mode': 'new-namespace',
    });
    expect(restore.spec).toEqual({
      backupName: nightly,
      includedNamespaces: [ns],
      includedResources: [
        'pods',
        'persistentvolumeclaims',
        'persistentvolumes',
        'statefulsets.apps',
        'deployments.apps',
        'replicasets.apps',
      ],
      // Unset: the claims' volumes must come back (see restoreManifest.ts).
      labelSelector: {
        matchExpressions: [
          {
            key: 'backstage.io/kubernetes-id',
            operator: 'In',
            values: [`orders-${run}`],
          },
        ],
      },
      namespaceMapping: { [ns]: `${ns}-restore-1` },
      restorePVs: true,
      existingResourcePolicy: 'none',
    });

    // A retry and a double submit: the same request, still one Restore.
    const [retry, double] = await Promise.all([
      request(owner.server).post(restoresPath).send(body),
      request(owner.server).post(restoresPath).send(body),
    ]);
    for (const res of [retry, double]) {
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(created.id);
    }
    // Another instance that does not share the database recognises the
    // Restore as the same request's by its labels.
    const elsewhere = await request(admins.server)
      .post(restoresPath)
      .send(body);
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.restoreName).toBe(created.restoreName);
    expect(await admin.restoresOfRequest(body.requestId)).toHaveLength(1);
  });

  it('follows the Restore to Completed, with bytes, node and duration, and announces it', async () => {
    const res = await request(owner.server)
      .post(restoresPath)
      .send(input({ targetNamespace: `${ns}-restore-2` }));
    expect(res.status).toBe(201);
    const created: RestoreRequest = res.body;

    // Acting as Velero: the restored pod, its claim on a new node, the
    // PodVolumeRestore writing data, then the Restore finishing.
    const target = `${ns}-restore-2`;
    // Velero copies the source namespace's annotations, owner included.
    await admin.apply(fixtures.namespace(target, 'group:default/team-orders'));
    const restored = fixtures.claim({
      namespace: target,
      name: 'data-db-0',
      storageClass: 'openebs-localpv-hostpath',
      node: 'lab-node-3',
    });
    await admin.apply(restored.claim);
    await admin.apply(restored.volume);
    await admin.apply(
      fixtures.pod({ namespace: target, name: 'db-0', claims: ['data-db-0'] }),
    );
    await admin.apply(
      fixtures.restore({
        name: created.restoreName,
        phase: 'InProgress',
        startedMinutesAgo: 4,
      }),
    );
    await admin.apply(
      fixtures.podVolumeRestore({
        name: `${created.restoreName}-db`,
        restoreName: created.restoreName,
        podNamespace: target,
        podName: 'db-0',
        podVolume: 'data-0',
        phase: 'InProgress',
        bytesDone: 1024,
        totalBytes: 4096,
      }),
    );
    const progressed = await trackUntil(
      owner,
      created.id,
      r => r.volumeProgress[0]?.bytesDone === 1024,
    );
    expect(progressed).toMatchObject({
      state: 'in-progress',
      phase: 'InProgress',
      volumeProgress: [
        {
          claimName: 'data-db-0',
          phase: 'InProgress',
          bytesDone: 1024,
          totalBytes: 4096,
          node: 'lab-node-3',
        },
      ],
    });

    await admin.apply(
      fixtures.podVolumeRestore({
        name: `${created.restoreName}-db`,
        restoreName: created.restoreName,
        podNamespace: target,
        podName: 'db-0',
        podVolume: 'data-0',
        phase: 'Completed',
        bytesDone: 4096,
        totalBytes: 4096,
      }),
    );
    await admin.apply(
      fixtures.restore({
        name: created.restoreName,
        phase: 'Completed',
        startedMinutesAgo: 4,
        durationSeconds: 200,
      }),
    );
    const done = await trackUntil(
      owner,
      created.id,
      r => r.state === 'completed',
    );
    expect(done).toMatchObject({
      phase: 'Completed',
      durationSeconds: 200,
      withinServiceLevel: true,
      volumeProgress: [
        {
          claimName: 'data-db-0',
          phase: 'Completed',
          bytesDone: 4096,
          node: 'lab-node-3',
        },
      ],
    });
    expect(owner.signals.publish).toHaveBeenCalledWith({
      recipients: { type: 'user', entityRef: user },
      channel: RESTORE_SIGNAL_CHANNEL,
      message: {
        requestId: created.id,
        entityRef: 'component:default/orders',
        state: 'completed',
      },
    });
    expect(owner.notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: ['group:default/team-orders', user],
        },
        payload: expect.objectContaining({
          severity: 'normal',
          link: '/catalog/default/component/orders/storage',
          description: expect.stringMatching(
            /^Data is in namespace \S+ on cluster lab\. Took (\d+ (d|h|min|s) ?)+, within the 15 min service level\.$/,
          ),
        }),
      }),
    );
  });

  it('names the restore Velero runs while this one waits for it', async () => {
    // Velero runs one restore at a time: another one, started an hour ago.
    const running = `running-${run}`;
    await admin.apply(
      fixtures.restore({
        name: running,
        phase: 'InProgress',
        startedMinutesAgo: 60,
      }),
    );
    try {
      const res = await request(owner.server)
        .post(restoresPath)
        .send(input({ targetNamespace: `${ns}-restore-queued` }));
      expect(res.status).toBe(201);
      // No Velero here: the new Restore stays without a phase, as queued.
      // The queue is named from the list's own view, which can come before
      // the tracker's pass has seen the new Restore (and recorded New): wait
      // for both.
      const waiting = await trackUntil(
        owner,
        res.body.id,
        r => r.queuedBehind?.restoreName === running && r.phase === 'New',
      );
      expect(waiting).toMatchObject({ state: 'in-progress', phase: 'New' });
      expect(Date.parse(waiting.queuedBehind!.startedAt!)).toBeLessThan(
        Date.now() - 59 * 60_000,
      );

      await admin.apply(
        fixtures.restore({
          name: running,
          phase: 'Completed',
          startedMinutesAgo: 60,
          durationSeconds: 600,
        }),
      );
      await trackUntil(
        owner,
        res.body.id,
        r => r.queuedBehind?.restoreName !== running,
      );
    } finally {
      await admin.apply(
        fixtures.restore({
          name: running,
          phase: 'Completed',
          startedMinutesAgo: 60,
          durationSeconds: 600,
        }),
      );
    }
  });

  it.each([
    ['PartiallyFailed', 'partially-failed', undefined],
    ['Failed', 'failed', 'restore failed: error restoring pods/db-0'],
  ])('records a Restore that ends %s', async (phase, state, failureReason) => {
    const res = await request(owner.server)
      .post(restoresPath)
      .send(input({ targetNamespace: `${ns}-restore-${phase.toLowerCase()}` }));
    const created: RestoreRequest = res.body;
    await admin.apply(
      fixtures.restore({
        name: created.restoreName,
        phase,
        startedMinutesAgo: 30,
        durationSeconds: 1200,
        failureReason,
        errors: 1,
      }),
    );
    const done = await trackUntil(
      owner,
      created.id,
      r => r.state !== 'in-progress',
    );
    expect(done).toMatchObject({
      state,
      phase,
      errors: 1,
      durationSeconds: 1200,
      withinServiceLevel: false,
    });
    expect(done.failureReason).toBe(failureReason);
    expect(owner.notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        payload: expect.objectContaining({ severity: 'high' }),
      }),
    );
  });

  it('fetches the Velero log of a failed restore, or says why it cannot', async () => {
    // The object store, as Velero's pre-signed URL would point to it.
    const log = [
      'time="2026-11-26T10:00:00Z" level=info msg="starting restore"',
      'time="2026-11-26T10:00:05Z" level=error msg="error restoring persistentvolumeclaims/data-db-0: admission webhook denied"',
    ].join('\n');
    const serve = (_req: http.IncomingMessage, res: http.ServerResponse) =>
      res.end(gzipSync(log));
    const servers = [
      http.createServer(serve),
      // HTTPS signed by the CA the backup's storage location names.
      https.createServer(trustedS3, serve),
      // HTTPS signed by a CA nobody named.
      https.createServer(selfSignedCertificate(), serve),
    ];
    const [plainPort, trustedPort, unknownCaPort] = await Promise.all(
      servers.map(
        server =>
          new Promise<number>(resolve =>
            server.listen(0, '127.0.0.1', () =>
              resolve((server.address() as AddressInfo).port),
            ),
          ),
      ),
    );
    try {
      const cases = [
        {
          suffix: 'log',
          downloadURL: `http://127.0.0.1:${plainPort}/restore-log.gz`,
          expected: { logState: 'fetched', logExcerpt: log },
        },
        {
          suffix: 'tlslog',
          downloadURL: `https://127.0.0.1:${trustedPort}/restore-log.gz`,
          expected: { logState: 'fetched', logExcerpt: log },
        },
        {
          suffix: 'untrusted',
          downloadURL: `https://127.0.0.1:${unknownCaPort}/restore-log.gz`,
          expected: {
            logState: 'unavailable',
            logExcerpt: expect.stringMatching(
              /unreachable: .*self[- ]signed certificate/,
            ),
          },
        },
        {
          suffix: 'nolog',
          downloadURL: 'http://127.0.0.1:1/unreachable.gz',
          expected: {
            logState: 'unavailable',
            logExcerpt: expect.stringContaining('unreachable'),
          },
        },
      ];
      for (const { suffix, downloadURL, expected } of cases) {
        const res = await request(owner.server)
          .post(restoresPath)
          .send(input({ targetNamespace: `${ns}-restore-${suffix}` }));
        const created: RestoreRequest = res.body;
        await admin.apply(
          fixtures.restore({
            name: created.restoreName,
            phase: 'Failed',
            startedMinutesAgo: 3,
            durationSeconds: 60,
          }),
        );
        await trackUntil(owner, created.id, r => r.logState === 'requested');
        const download = await admin.get(
          `/apis/velero.io/v1/namespaces/velero/downloadrequests/${created.restoreName}-log`,
        );
        expect(download.spec).toEqual({
          target: { kind: 'RestoreLog', name: created.restoreName },
        });
        // Acting as Velero: the request is processed with a download URL.
        await admin.apply({
          apiVersion: download.apiVersion,
          kind: download.kind,
          metadata: { namespace: 'velero', name: download.metadata.name },
          spec: download.spec,
          status: { phase: 'Processed', downloadURL },
        });
        const done = await trackUntil(
          owner,
          created.id,
          r => r.logState === expected.logState,
        );
        expect(done).toMatchObject(expected);
      }
    } finally {
      for (const server of servers) server.close();
    }
  });

  describe('refuses, and creates nothing, when', () => {
    const refusals: Array<
      [string, 'owner' | 'admins', Record<string, unknown>, number, string]
    > = [
      [
        'another entity namespace is named',
        'owner',
        { namespace: foreignNs },
        403,
        'does not belong',
      ],
      [
        'the target is an existing namespace of someone else',
        'owner',
        { targetNamespace: takenTarget },
        409,
        'already exists',
      ],
      [
        'the target breaks the naming rule',
        'owner',
        { targetNamespace: foreignNs },
        400,
        'naming rule',
      ],
      [
        'the target is a system namespace',
        'owner',
        { targetNamespace: 'kube-system' },
        403,
        'reserved',
      ],
      [
        'the target is the source',
        'owner',
        { targetNamespace: ns },
        400,
        'in-place',
      ],
      [
        'hooks are injected',
        'owner',
        { hooks: { resources: [] } },
        400,
        'unsupported field(s) hooks',
      ],
      [
        'a resource modifier is injected',
        'owner',
        { resourceModifier: { kind: 'ConfigMap', name: 'x' } },
        400,
        'resourceModifier',
      ],
      [
        'cluster resources are requested',
        'owner',
        { includeClusterResources: true },
        400,
        'includeClusterResources',
      ],
      [
        'extra namespaces are requested',
        'owner',
        { includedNamespaces: [foreignNs] },
        400,
        'includedNamespaces',
      ],
      [
        'a whole Restore spec is sent',
        'owner',
        { spec: { backupName: nightly } },
        400,
        'spec',
      ],
      [
        'the backup does not exist',
        'owner',
        { backupName: `missing-${run}` },
        404,
        'No Velero backup',
      ],
      [
        'the backup failed',
        'owner',
        { backupName: `failed-${run}` },
        400,
        'Failed',
      ],
      [
        'the backup did not cover the volume',
        'owner',
        { backupName: `partial-${run}`, volumes: ['data-lost'] },
        400,
        'no completed copy',
      ],
      [
        'the storage location is unavailable',
        'owner',
        { backupName: `offline-${run}` },
        503,
        'Unavailable',
      ],
      [
        'the cluster is unknown',
        'owner',
        { cluster: 'nowhere' },
        400,
        'not configured',
      ],
      [
        'in place without confirmation',
        'admins',
        {
          mode: 'in-place',
          targetNamespace: undefined,
          volumes: ['data-lost'],
        },
        400,
        'confirmed by typing',
      ],
      [
        'in place while a pod no StatefulSet or Deployment runs mounts the claim',
        'admins',
        {
          mode: 'in-place',
          targetNamespace: undefined,
          volumes: ['data-db-0', 'data-lost'],
          confirmation: ns,
        },
        403,
        'pod db-0 (no controller) is not run by a StatefulSet or Deployment',
      ],
      [
        'the request id is not a UUID',
        'owner',
        { requestId: 'again' },
        400,
        'requestId',
      ],
    ];

    it.each(refusals)('%s', async (_name, who, overrides, status, message) => {
      const before = await clusterFootprint();
      const backend = who === 'owner' ? owner : admins;
      const res = await request(backend.server)
        .post(restoresPath)
        .send(input(overrides));
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(message);
      expect(await clusterFootprint()).toEqual(before);
    });
  });

  it('shows a deleted claim from its backups, so it can be restored in place', async () => {
    const res = await request(owner.server).get(
      '/api/openebs-storage/entities/component/default/orders/storage',
    );
    const lost = res.body.clusters[0].volumes.find(
      (v: any) => v.name === 'data-lost',
    );
    expect(lost).toMatchObject({
      namespace: ns,
      phase: 'Deleted',
      engine: 'unknown',
      health: { status: 'unknown' },
      lastGoodBackup: { backupName: nightly },
    });
    expect(res.body.health.status).not.toBe('unknown');
  });

  it('lists the backups of an earlier claim of the same name, which Velero restores by name', async () => {
    const res = await request(owner.server).get(
      '/api/openebs-storage/entities/component/default/orders/storage',
    );
    const db = res.body.clusters[0].volumes.find(
      (v: any) => v.name === 'data-db-0',
    );
    expect(db.backups.map((b: any) => b.backupName)).toContain(earlier);
    // The newest good backup is still the nightly one of the claim as it is.
    expect(db.lastGoodBackup.backupName).toBe(nightly);
  });

  it('restores in place once the workload and the claim are gone', async () => {
    const body = input({
      mode: 'in-place',
      targetNamespace: undefined,
      volumes: ['data-lost'],
      confirmation: ns,
    });
    const res = await request(admins.server).post(restoresPath).send(body);
    expect(res.status).toBe(201);
    const created: RestoreRequest = res.body;
    // Recorded with its steps; the Restore comes at its own step.
    expect(created.inPlace).toMatchObject({
      workloads: [],
      claims: [{ name: 'data-lost' }],
    });
    expect(created.inPlace!.steps.map(s => s.state)).toEqual(
      Array(5).fill('pending'),
    );
    expect(await admin.restoresOfRequest(body.requestId as string)).toEqual([]);

    // Nothing to stop or delete: the steps pass to the Restore.
    const restoring = await trackUntil(
      admins,
      created.id,
      r => r.inPlace?.steps[2].state === 'running' && r.phase !== undefined,
    );
    expect(restoring.inPlace!.steps.map(s => s.state)).toEqual([
      'done',
      'done',
      'running',
      'pending',
      'pending',
    ]);
    const [restore] = await admin.restoresOfRequest(body.requestId as string);
    expect(restore.spec.namespaceMapping).toBeUndefined();
    expect(restore.spec.includedNamespaces).toEqual([ns]);
    expect(restore.metadata.annotations['openebs-portal.dev/mode']).toBe(
      'in-place',
    );
    // Its resource modifier relabels the restored pods, and goes with it.
    expect(restore.spec.resourceModifier).toEqual({
      kind: 'ConfigMap',
      name: created.restoreName,
    });
    const modifier = await admin.get(
      `/api/v1/namespaces/velero/configmaps/${created.restoreName}`,
    );
    expect(modifier.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Restore',
        name: created.restoreName,
        uid: restore.metadata.uid,
      }),
    ]);
    expect(JSON.parse(modifier.data['modifiers.yaml'])).toEqual({
      version: 'v1',
      resourceModifierRules: [
        {
          conditions: { groupResource: 'pods', namespaces: [ns] },
          mergePatches: [
            { patchData: '{"metadata":{"labels":null}}' },
            {
              patchData: JSON.stringify({
                metadata: {
                  labels: {
                    'openebs-portal.dev/restore-pod': created.restoreName,
                  },
                },
              }),
            },
          ],
        },
      ],
    });
  });

  it('lists the entity restore requests, newest first', async () => {
    const res = await request(owner.server).get(restoresPath);
    expect(res.status).toBe(200);
    const times = res.body.items.map((r: RestoreRequest) => r.requestedAt);
    expect(times.length).toBeGreaterThanOrEqual(4);
    expect([...times].sort().reverse()).toEqual(times);
  });
});

async function trackUntil(
  backend: StorageTestBackend,
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
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(
    `restore ${id} did not reach the expected state: ${JSON.stringify(last)}`,
  );
}
