import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  ClusterStorage,
  EntityStorage,
} from '@openebs-portal/plugin-openebs-storage-common';
import { fixtures, LabAdmin, labCluster } from '@openebs-portal/lab-testkit';
import {
  labClusterConfig,
  startStorageTestBackend,
  StorageTestBackend,
} from '../__testUtils__/testBackend';
import { freePort, startAlertmanager } from '../__testUtils__/alertmanager';
import { claimWithPod, completedRun } from '../__testUtils__/scheduledVolume';

/*
 * Firing alerts on the Storage tab, read from a real Alertmanager (Debian's
 * prometheus-alertmanager) that alerts are posted to as Prometheus posts
 * them, with the volumes of the real apiserver from lab/: each alert is
 * placed on what it is about, another team's never shows, and an
 * Alertmanager that cannot be read leaves the rest of the answer whole.
 */

jest.setTimeout(60_000);

const lab = labCluster();
const admin = new LabAdmin(lab);
const run = Math.random().toString(36).slice(2, 8);
const ours = `alerts-ours-${run}`;
const theirs = `alerts-theirs-${run}`;
const LONG_VELERO_MESSAGE = `BackupStorageLocation "default" is unavailable: rpc error: code = Unknown desc = operation error S3: ListObjectsV2, exceeded maximum number of attempts, 3, https response error StatusCode: 0, RequestID: , HostID: , request send failed, Get "https://10.0.0.1:9000/velero-backups?delimiter=%2F&list-type=2&prefix=backups%2F": dial tcp 10.0.0.1:9000: connect: connection refused`;

function component(name: string, namespace: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': namespace,
        'backstage.io/kubernetes-namespace': namespace,
      },
    },
    spec: { type: 'service', owner, lifecycle: 'production' },
  };
}

const shop = component('alerted-shop', ours, 'team-a');
/** Team A's entity naming team B's namespace. */
const thief = component('alerted-thief', theirs, 'team-a');

async function clusterOf(
  backend: StorageTestBackend,
  entity: Entity,
  ready: (cluster: ClusterStorage) => boolean,
): Promise<ClusterStorage> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await request(backend.server).get(
      `/api/openebs-storage/entities/component/default/${entity.metadata.name}/storage`,
    );
    const cluster = (res.body as EntityStorage).clusters?.[0];
    if (res.status === 200 && cluster && ready(cluster)) return cluster;
    if (Date.now() > deadline) {
      throw new Error(`Timed out; last: ${JSON.stringify(res.body)}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe('firing alerts from a real Alertmanager on the Storage tab', () => {
  let alertmanager: Awaited<ReturnType<typeof startAlertmanager>>;
  let backend: StorageTestBackend;

  beforeAll(async () => {
    for (const manifest of fixtures.storageClasses()) {
      await admin.apply(manifest);
    }
    await admin.apply(fixtures.node('lab-node-1'));
    for (const [namespace, owner] of [
      [ours, 'group:default/team-a'],
      [theirs, 'group:default/team-b'],
    ]) {
      const claimUid = await claimWithPod(admin, {
        namespace,
        id: namespace,
        owner,
      });
      await completedRun(admin, {
        namespace,
        id: namespace,
        schedule: `nightly-${namespace}`,
        name: `nightly-${namespace}-1`,
        hoursAgo: 2,
        claimUid,
      });
    }
    alertmanager = await startAlertmanager();
    await alertmanager.fire([
      {
        labels: {
          alertname: 'OpenEBSVolumeAlmostFull',
          severity: 'warning',
          namespace: ours,
          persistentvolumeclaim: 'data',
        },
        annotations: {
          summary: 'An OpenEBS volume has less than 10% free space',
        },
      },
      {
        labels: {
          alertname: 'OpenEBSVolumeAlmostFull',
          severity: 'warning',
          namespace: theirs,
          persistentvolumeclaim: 'data',
        },
        annotations: { summary: "Team B's volume is almost full" },
      },
      {
        labels: {
          alertname: 'VeleroBackupLocationUnavailable',
          severity: 'critical',
          backup_location_name: 'default',
        },
        annotations: { summary: LONG_VELERO_MESSAGE },
      },
      {
        labels: {
          alertname: 'OpenEBSEntityRestoreDrillFailed',
          severity: 'critical',
          entity: 'component:default/alerted-shop',
          owner: 'group:default/team-a',
        },
        annotations: { summary: "A service's last restore drill failed" },
      },
      {
        labels: {
          alertname: 'VeleroServerDown',
          severity: 'critical',
          namespace: 'velero',
        },
        annotations: { summary: 'The Velero server has no available replica' },
      },
      // About something else entirely.
      { labels: { alertname: 'NodeClockSkew', instance: 'lab-node-1' } },
    ]);
    backend = await startStorageTestBackend({
      clusters: [labClusterConfig(lab)],
      entities: [shop, thief],
      config: {
        openebsStorage: {
          alertmanagers: [{ cluster: 'lab', url: alertmanager.url }],
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.backend.stop();
    await alertmanager?.stop();
  });

  it('places each alert on what it concerns, and shortens a long Velero message', async () => {
    const cluster = await clusterOf(
      backend,
      shop,
      // Synced as far as the backups: they name the location the alert is on.
      c =>
        c.volumes[0]?.lastGoodBackup !== undefined &&
        (c.alerts?.length ?? 0) > 0,
    );
    const byName = Object.fromEntries(
      (cluster.alerts ?? []).map(a => [a.name, a]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      'OpenEBSEntityRestoreDrillFailed',
      'OpenEBSVolumeAlmostFull',
      'VeleroBackupLocationUnavailable',
      'VeleroServerDown',
    ]);
    expect(byName.OpenEBSVolumeAlmostFull).toMatchObject({
      severity: 'warning',
      summary: 'An OpenEBS volume has less than 10% free space',
      concerns: { kind: 'volume', name: 'data', namespace: ours },
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const location = byName.VeleroBackupLocationUnavailable;
    expect(location.concerns).toEqual({
      kind: 'storage-location',
      name: 'default',
    });
    expect(location.summary).toHaveLength(160);
    expect(location.summary.endsWith('…')).toBe(true);
    expect(location.detail).toBe(LONG_VELERO_MESSAGE);
    expect(byName.OpenEBSEntityRestoreDrillFailed.concerns.kind).toBe('entity');
    expect(byName.VeleroServerDown.concerns).toEqual({
      kind: 'velero',
      name: 'velero',
    });
  });

  it("never shows another team's alerts to an entity that names its namespace", async () => {
    const cluster = await clusterOf(
      backend,
      thief,
      c => c.alerts !== undefined,
    );
    expect(cluster.volumes).toEqual([]);
    expect(cluster.withheld?.volumes).toBe(1);
    // Nothing of team B's; Velero-wide alerts only concern entities with volumes.
    expect(cluster.alerts).toEqual([]);
  });

  it('keeps the rest of the answer when Alertmanager cannot be read', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await startStorageTestBackend({
      clusters: [labClusterConfig(lab)],
      entities: [shop],
      config: {
        openebsStorage: {
          alertmanagers: [{ cluster: 'lab', url: closed }],
        },
      },
    });
    try {
      const cluster = await clusterOf(
        unreachable,
        shop,
        c =>
          c.volumes.length === 1 &&
          c.errors.length > 0 &&
          c.errors.every(e => e.reason !== 'not-synced'),
      );
      expect(cluster.alerts).toBeUndefined();
      expect(cluster.volumes[0].lastGoodBackup).toBeDefined();
      expect(cluster.errors).toEqual([
        expect.objectContaining({
          reason: 'error',
          resource: 'Alertmanager alerts',
          message: expect.stringContaining(
            `could not be read from Alertmanager at ${closed}: fetch failed (ECONNREFUSED)`,
          ),
        }),
      ]);
    } finally {
      await unreachable.backend.stop();
    }
  });
});
