import { Entity } from '@backstage/catalog-model';
import { EntityStorage } from '@openebs-portal/plugin-openebs-storage-common';
import request from 'supertest';
import { fixtures, LabAdmin, labCluster } from '@openebs-portal/lab-testkit';
import { veleroLabelValue } from './kubernetes/velero';
import {
  labClusterConfig as labClusterConfigFor,
  startStorageTestBackend,
  StorageTestBackend,
} from './__testUtils__/testBackend';

/*
 * The plugin against the real kube-apiserver from lab/: fixtures are written
 * through the API (statuses included) as OpenEBS and Velero would write them,
 * and the plugin reads them through its own watches.
 */

jest.setTimeout(60_000);

const lab = labCluster();
const admin = new LabAdmin(lab);
const run = Math.random().toString(36).slice(2, 8);
const ns = `shop-${run}`;
const otherNs = `stale-${run}`;

function entity(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

const shop = entity('shop', {
  'backstage.io/kubernetes-id': `shop-${run}`,
  'backstage.io/kubernetes-namespace': ns,
});
const stale = entity('stale', {
  'backstage.io/kubernetes-label-selector': `app=stale-${run}`,
});
const broken = entity('broken', {
  'backstage.io/kubernetes-label-selector': 'app in (unclosed',
});
const noAnnotations = entity('plain', {});

// Long enough that Velero shortens it in labels.
const longBackupName = `manual-before-migration-of-the-shop-database-${run}-to-openebs-hostpath`;

const claimUids: Record<string, string> = {};

async function createFixtures() {
  for (const manifest of fixtures.storageClasses()) await admin.apply(manifest);
  // The nodes the local volumes below live on, Ready.
  for (const name of ['lab-node-1', 'lab-node-2']) {
    await admin.apply(fixtures.node(name));
  }
  await admin.apply(
    fixtures.storageLocation({ name: 'default', phase: 'Available' }),
  );
  await admin.apply(fixtures.namespace(ns));
  await admin.apply(fixtures.namespace(otherNs));

  // A StatefulSet's claim: the pod has the entity's label, the claim has none.
  const db = fixtures.claim({
    namespace: ns,
    name: 'data-db-0',
    storageClass: 'openebs-localpv-hostpath',
    size: '5Gi',
    node: 'lab-node-1',
  });
  const lvm = fixtures.claim({
    namespace: ns,
    name: 'cache',
    storageClass: 'openebs-localpv-device',
    labels: { 'backstage.io/kubernetes-id': `shop-${run}` },
    node: 'lab-node-2',
    csiDriver: 'local.csi.openebs.io',
  });
  const nfs = fixtures.claim({
    namespace: ns,
    name: 'uploads',
    storageClass: 'legacy-nfs',
    labels: { 'backstage.io/kubernetes-id': `shop-${run}` },
  });
  const staleClaim = fixtures.claim({
    namespace: otherNs,
    name: 'data',
    storageClass: 'openebs-localpv-hostpath',
    labels: { app: `stale-${run}` },
    node: 'lab-node-1',
  });
  for (const c of [db, lvm, nfs, staleClaim]) {
    const created = await admin.apply(c.claim);
    claimUids[`${c.claim.metadata.namespace}/${c.claim.metadata.name}`] =
      created.metadata.uid;
    if (c.volume) await admin.apply(c.volume);
  }
  await admin.apply(
    fixtures.pod({
      namespace: ns,
      name: 'db-0',
      labels: { 'backstage.io/kubernetes-id': `shop-${run}` },
      claims: ['data-db-0'],
      nodeName: 'lab-node-1',
    }),
  );
  await admin.apply(
    fixtures.volumeSnapshot({
      namespace: ns,
      name: 'cache-before-upgrade',
      claimName: 'cache',
      className: 'openebs-lvm-snapshots',
    }),
  );
  // A snapshot object of a hostpath claim cannot exist in practice; if it
  // does, it must not be offered.
  await admin.apply(
    fixtures.volumeSnapshot({
      namespace: ns,
      name: 'db-impossible',
      claimName: 'data-db-0',
      className: 'openebs-lvm-snapshots',
    }),
  );

  // Judged by its own interval: @every keeps a backup two hours old within
  // it at any time of day (a 02:00 cron would not be between 02:06 and 04:00).
  await admin.apply(
    fixtures.schedule({
      name: `daily-${run}`,
      namespaces: [ns],
      cron: '@every 24h',
    }),
  );
  await admin.apply(
    fixtures.schedule({
      name: `paused-${run}`,
      namespaces: [otherNs],
      paused: true,
    }),
  );
  await admin.apply(
    fixtures.schedule({
      name: `weekly-${run}`,
      namespaces: [`${otherNs.slice(0, 5)}*`],
    }),
  );

  const dbUid = claimUids[`${ns}/data-db-0`];
  const goodBackup = await admin.apply(
    fixtures.backup({
      name: `daily-${run}-20261126020000`,
      namespaces: [ns],
      phase: 'Completed',
      schedule: `daily-${run}`,
      startedHoursAgo: 2,
      durationSeconds: 90,
    }),
  );
  await admin.apply(
    fixtures.podVolumeBackup({
      name: `daily-${run}-20261126020000-db`,
      backupName: goodBackup.metadata.name,
      backupUid: goodBackup.metadata.uid,
      claimUid: dbUid,
      claimName: 'data-db-0',
      podNamespace: ns,
      podName: 'db-0',
      phase: 'Completed',
      startedHoursAgo: 2,
      durationSeconds: 75,
      bytes: 52428800,
    }),
  );
  // An older backup that took too long: shown, and flagged against 5 min.
  const slowBackup = await admin.apply(
    fixtures.backup({
      name: `daily-${run}-20261125020000`,
      namespaces: [ns],
      phase: 'Completed',
      schedule: `daily-${run}`,
      startedHoursAgo: 26,
      durationSeconds: 500,
    }),
  );
  await admin.apply(
    fixtures.podVolumeBackup({
      name: `daily-${run}-20261125020000-db`,
      backupName: slowBackup.metadata.name,
      backupUid: slowBackup.metadata.uid,
      claimUid: dbUid,
      claimName: 'data-db-0',
      podNamespace: ns,
      podName: 'db-0',
      phase: 'Completed',
      startedHoursAgo: 26,
      durationSeconds: 480,
    }),
  );
  // A manual backup with a long name: its PodVolumeBackup only carries the
  // shortened label, as Velero writes it.
  const longBackup = await admin.apply(
    fixtures.backup({
      name: longBackupName,
      namespaces: [ns],
      phase: 'Completed',
      startedHoursAgo: 30,
      durationSeconds: 60,
    }),
  );
  await admin.apply(
    fixtures.podVolumeBackup({
      name: `manual-${run}-db`,
      backupName: longBackup.metadata.name,
      backupLabel: veleroLabelValue(longBackupName),
      claimUid: dbUid,
      claimName: 'data-db-0',
      podNamespace: ns,
      podName: 'db-0',
      phase: 'Completed',
      startedHoursAgo: 30,
      durationSeconds: 40,
      labelOnly: true,
    }),
  );

  // The other entity: covered by a glob schedule, last backup partially failed.
  const staleUid = claimUids[`${otherNs}/data`];
  const partial = await admin.apply(
    fixtures.backup({
      name: `weekly-${run}-1`,
      namespaces: [otherNs],
      phase: 'PartiallyFailed',
      schedule: `weekly-${run}`,
      startedHoursAgo: 5,
      durationSeconds: 30,
    }),
  );
  await admin.apply(
    fixtures.podVolumeBackup({
      name: `weekly-${run}-1-data`,
      backupName: partial.metadata.name,
      backupUid: partial.metadata.uid,
      claimUid: staleUid,
      claimName: 'data',
      podNamespace: otherNs,
      podName: 'stale-0',
      phase: 'Failed',
      startedHoursAgo: 5,
      durationSeconds: 20,
      message: 'pod volume backup failed: data path not found',
    }),
  );
}

const labClusterConfig = labClusterConfigFor(lab);

async function startBackend(options: {
  clusters: Array<Record<string, unknown>>;
  denyAll?: boolean;
}) {
  return startStorageTestBackend({
    clusters: options.clusters,
    entities: [shop, stale, broken, noAnnotations],
    allow: options.denyAll ? [] : undefined,
  });
}

/** Polls until the watches have delivered what the test expects. */
async function fetchUntil(
  server: any,
  path: string,
  ready: (body: EntityStorage) => boolean,
): Promise<EntityStorage> {
  const deadline = Date.now() + 30_000;
  let last: any;
  while (Date.now() < deadline) {
    const response = await request(server).get(path);
    last = response.body;
    if (response.status === 200 && ready(response.body)) return response.body;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(
    `Timed out waiting for ${path}; last: ${JSON.stringify(last)}`,
  );
}

const storagePath = (name: string) =>
  `/api/openebs-storage/entities/component/default/${name}/storage`;

describe('openebs-storage backend against the lab apiserver', () => {
  let backend: StorageTestBackend;

  beforeAll(async () => {
    await createFixtures();
    backend = await startBackend({
      clusters: [
        labClusterConfig,
        // Nothing listens here: a cluster that is down.
        {
          name: 'down',
          url: 'https://127.0.0.1:1',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'unused',
          skipTLSVerify: true,
        },
        // The real apiserver with a token it does not accept.
        {
          name: 'denied',
          url: lab.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: 'not-a-valid-token',
          caData: lab.caData,
        },
      ],
    });
  });

  afterAll(async () => {
    await backend?.backend.stop();
  });

  it('reports each volume of an entity with class, engine, node, backups and health', async () => {
    const body = await fetchUntil(backend.server, storagePath('shop'), b =>
      b.clusters.some(
        c =>
          c.cluster === 'lab' &&
          c.volumes.length === 3 &&
          c.volumes.find(v => v.name === 'data-db-0')?.backups.length === 3,
      ),
    );
    const labStorage = body.clusters.find(c => c.cluster === 'lab')!;
    expect(labStorage.errors).toEqual([]);
    expect(labStorage.namespaces).toEqual([ns]);
    const byName = Object.fromEntries(labStorage.volumes.map(v => [v.name, v]));

    // The StatefulSet claim, found through the pod although it has no labels.
    const db = byName['data-db-0'];
    expect(db).toMatchObject({
      cluster: 'lab',
      namespace: ns,
      storageClass: 'openebs-localpv-hostpath',
      engine: 'openebs-hostpath',
      canSnapshot: false,
      phase: 'Bound',
      requested: '5Gi',
      provisioned: '5Gi',
      node: 'lab-node-1',
      pods: ['db-0'],
      schedules: [`daily-${run}`],
      snapshots: [],
      health: { status: 'protected' },
    });
    expect(db.provisioningWithinServiceLevel).toBe(true);
    expect(db.backups.map(b => b.backupName)).toEqual([
      `daily-${run}-20261126020000`,
      `daily-${run}-20261125020000`,
      longBackupName,
    ]);
    expect(db.backups[0]).toMatchObject({
      method: 'fs-backup',
      phase: 'Completed',
      backupPhase: 'Completed',
      scheduleName: `daily-${run}`,
      durationSeconds: 75,
      withinServiceLevel: true,
      bytesDone: 52428800,
    });
    expect(db.backups[1]).toMatchObject({
      durationSeconds: 480,
      withinServiceLevel: false,
    });
    // Matched to its Backup through the shortened label alone.
    expect(db.backups[2]).toMatchObject({ backupPhase: 'Completed' });
    expect(db.lastGoodBackup?.backupName).toBe(`daily-${run}-20261126020000`);

    // LVM is CSI with a snapshot class: its snapshots are shown.
    expect(byName.cache).toMatchObject({
      engine: 'openebs-lvm',
      canSnapshot: true,
      node: 'lab-node-2',
      health: { status: 'at-risk' },
    });
    expect(byName.cache.snapshots).toEqual([
      expect.objectContaining({
        name: 'cache-before-upgrade',
        readyToUse: true,
        restoreSize: '1Gi',
      }),
    ]);

    // Not OpenEBS, unbound, and never backed up.
    expect(byName.uploads).toMatchObject({
      engine: 'other',
      phase: 'Pending',
      canSnapshot: false,
    });
    expect(byName.uploads.node).toBeUndefined();

    expect(labStorage.schedules.map(s => s.name)).toEqual([`daily-${run}`]);
    expect(labStorage.storageLocations).toContainEqual(
      expect.objectContaining({
        name: 'default',
        phase: 'Available',
        isDefault: true,
      }),
    );
    expect(body.health?.status).toBe('at-risk');
    expect(body.serviceLevels.backupSeconds).toBe(300);
  });

  it('keeps answering when one cluster is down and another refuses the token', async () => {
    const body = await fetchUntil(backend.server, storagePath('shop'), b =>
      b.clusters.every(c => c.cluster === 'lab' || c.errors.length > 0),
    );
    const down = body.clusters.find(c => c.cluster === 'down')!;
    const denied = body.clusters.find(c => c.cluster === 'denied')!;
    expect(down.errors[0].reason).toBe('unreachable');
    expect(denied.errors[0].reason).toBe('forbidden');
    expect(body.clusters.find(c => c.cluster === 'lab')!.volumes).toHaveLength(
      3,
    );
  });

  it('marks a stale or failed volume at risk and a paused schedule as no cover', async () => {
    const body = await fetchUntil(backend.server, storagePath('stale'), b =>
      b.clusters.some(
        c => c.cluster === 'lab' && c.volumes[0]?.backups.length === 1,
      ),
    );
    const volume = body.clusters.find(c => c.cluster === 'lab')!.volumes[0];
    expect(volume.schedules).toEqual([`weekly-${run}`]);
    expect(volume.health.status).toBe('at-risk');
    expect(volume.health.reason).toContain('failed');
    expect(volume.lastGoodBackup).toBeUndefined();
  });

  it('turns an uncovered volume unprotected when its schedule is deleted, naming the paused one left', async () => {
    await admin.remove(
      fixtures.schedule({ name: `weekly-${run}`, namespaces: [] }),
    );
    const body = await fetchUntil(backend.server, storagePath('stale'), b =>
      b.clusters.some(
        c => c.cluster === 'lab' && c.volumes[0]?.schedules.length === 0,
      ),
    );
    const volume = body.clusters.find(c => c.cluster === 'lab')!.volumes[0];
    expect(volume.health).toEqual({
      status: 'unprotected',
      // The paused schedule of the fixtures still names the namespace.
      reason: `Schedule paused-${run} covering it is paused`,
    });
    expect(body.health?.status).toBe('unprotected');
  });

  it('shows a volume whose node is NotReady, then gone, as unreachable, with its stuck pod and the way out', async () => {
    const deadNode = `lab-dead-${run}`;
    await admin.apply(
      fixtures.node(deadNode, 'Unknown', '2026-11-26T11:40:00Z'),
    );
    const journal = fixtures.claim({
      namespace: otherNs,
      name: 'journal',
      storageClass: 'openebs-localpv-hostpath',
      labels: { app: `stale-${run}` },
      node: deadNode,
    });
    await admin.apply(journal.claim);
    await admin.apply(journal.volume!);
    await admin.apply(
      fixtures.pod({
        namespace: otherNs,
        name: 'journal-0',
        labels: { app: `stale-${run}` },
        claims: ['journal'],
        nodeName: deadNode,
      }),
    );
    const labVolumes = (b: EntityStorage) =>
      b.clusters.find(c => c.cluster === 'lab')?.volumes ?? [];
    const journalOf = (b: EntityStorage) =>
      labVolumes(b).find(v => v.name === 'journal');

    const notReady = await fetchUntil(
      backend.server,
      storagePath('stale'),
      // The node, claim and pod watches catch up independently: wait for
      // the pod too, or the node's state alone can be seen first.
      b =>
        journalOf(b)?.nodeHealth?.state === 'not-ready' &&
        (journalOf(b)?.nodeHealth?.stuckPods?.length ?? 0) > 0,
    );
    expect(journalOf(notReady)).toMatchObject({
      node: deadNode,
      nodeHealth: {
        state: 'not-ready',
        since: '2026-11-26T11:40:00Z',
        stuckPods: ['journal-0'],
      },
      health: {
        status: 'at-risk',
        reason: expect.stringContaining(
          `Data unreachable: node ${deadNode} is NotReady since 2026-11-26T11:40:00Z; pods stuck: journal-0`,
        ),
      },
    });
    // The volume on the Ready node beside it is untouched by this.
    expect(
      labVolumes(notReady).find(v => v.name === 'data')?.nodeHealth?.state,
    ).toBe('ready');

    // The node object deleted (the node is gone for good).
    await admin.remove(fixtures.node(deadNode));
    const gone = await fetchUntil(
      backend.server,
      storagePath('stale'),
      b => journalOf(b)?.nodeHealth?.state === 'missing',
    );
    expect(journalOf(gone)?.health.reason).toContain(
      `Data unreachable: node ${deadNode} no longer exists`,
    );
  });

  it('rejects malformed annotations, unknown entities and entities without annotations', async () => {
    const malformed = await request(backend.server).get(storagePath('broken'));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('app in (unclosed');

    const missing = await request(backend.server).get(storagePath('nobody'));
    expect(missing.status).toBe(404);

    const plain = await request(backend.server).get(storagePath('plain'));
    expect(plain.status).toBe(400);
    expect(plain.body.error.message).toContain('backstage.io/kubernetes-id');

    const invalid = await request(backend.server).get(
      '/api/openebs-storage/entities/component/default/%20bad/storage',
    );
    expect(invalid.status).toBe(400);
  });
});

describe('openebs-storage backend permissions', () => {
  it('refuses a user without openebs.storage.read', async () => {
    const backend = await startBackend({
      clusters: [labClusterConfig],
      denyAll: true,
    });
    try {
      const response = await request(backend.server).get(storagePath('shop'));
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
      expect(response.body.error.message).toContain('openebs.storage.read');
    } finally {
      await backend.backend.stop();
    }
  });
});
