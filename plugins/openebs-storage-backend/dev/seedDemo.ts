/*
 * Seeds the lab cluster with clearly labelled demo objects for the example
 * catalog (examples/entities.yaml): what OpenEBS and Velero would have created
 * for three services. Every object carries `openebs-portal.dev/demo: "true"`.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/openebs-storage-backend/dev/seedDemo.ts
 */
import { fixtures, LabAdmin, labCluster } from '@openebs-portal/lab-testkit';

const DEMO_LABEL = { 'openebs-portal.dev/demo': 'true' };

function labelled<T extends { metadata: { labels?: Record<string, string> } }>(
  manifest: T,
): T {
  manifest.metadata.labels = { ...manifest.metadata.labels, ...DEMO_LABEL };
  return manifest;
}

async function main() {
  const admin = new LabAdmin(labCluster());
  const apply = (manifest: any) => admin.apply(labelled(manifest));

  for (const manifest of fixtures.storageClasses()) await apply(manifest);
  await apply(
    fixtures.storageLocation({ name: 'default', phase: 'Available' }),
  );
  // The nodes the demo's local volumes live on, Ready (this lab has no
  // kubelet; the Storage tab shows a volume on a missing node as unreachable).
  for (const name of ['lab-node-1', 'lab-node-2', 'lab-node-3']) {
    await apply(fixtures.node(name));
  }
  // Each namespace names the owner of the entity living in it
  // (examples/entities.yaml), as the platform's GitOps records it: shop holds
  // shop, analytics holds analytics (team-data), legacy holds legacy-uploads.
  // The portal's restore tenancy reads it.
  await apply(fixtures.namespace('shop', 'group:default/team-shop'));
  await apply(fixtures.namespace('analytics', 'group:default/team-data'));
  await apply(fixtures.namespace('legacy', 'group:default/team-shop'));
  await apply(
    fixtures.schedule({ name: 'daily', namespaces: ['shop', 'analytics'] }),
  );
  // The backups are placed at the schedule's own runs (02:00 UTC, at least
  // six minutes back), so shop is protected whatever the time of day.
  const now = new Date();
  const sinceDailyRun = Math.max(
    0.1,
    (now.getUTCHours() + now.getUTCMinutes() / 60 - 2 + 24) % 24,
  );

  // shop: a PostgreSQL StatefulSet on hostpath, backed up daily.
  const shopIds = { 'backstage.io/kubernetes-id': 'shop' };
  const shopClaims = [0, 1].map(i =>
    fixtures.claim({
      namespace: 'shop',
      name: `data-postgres-${i}`,
      storageClass: 'openebs-localpv-hostpath',
      size: '10Gi',
      node: `lab-node-${i + 1}`,
    }),
  );
  for (const [i, c] of shopClaims.entries()) {
    const claim = await apply(c.claim);
    await apply(c.volume);
    await apply(
      fixtures.pod({
        namespace: 'shop',
        name: `postgres-${i}`,
        labels: shopIds,
        claims: [c.claim.metadata.name],
        nodeName: `lab-node-${i + 1}`,
      }),
    );
    for (const [day, hours] of [
      [26, sinceDailyRun],
      [25, sinceDailyRun + 24],
    ] as const) {
      const backup = await apply(
        fixtures.backup({
          name: `daily-202611${day}020000`,
          namespaces: ['shop', 'analytics'],
          phase: 'Completed',
          schedule: 'daily',
          startedHoursAgo: hours,
          durationSeconds: 140,
        }),
      );
      await apply(
        fixtures.podVolumeBackup({
          name: `daily-202611${day}020000-postgres-${i}`,
          backupName: backup.metadata.name,
          backupUid: backup.metadata.uid,
          claimUid: claim.metadata.uid,
          claimName: c.claim.metadata.name,
          podNamespace: 'shop',
          podName: `postgres-${i}`,
          phase: 'Completed',
          startedHoursAgo: hours,
          durationSeconds: 95 + i * 20,
          bytes: 734003200,
        }),
      );
    }
  }

  // shop, history: a third replica was scaled away and its claim deleted
  // after the backup of the 25th. Only that backup remains of it: the portal
  // lists it as a deleted volume that can be restored (in place or into a
  // new namespace).
  const olderBackup = await admin.get(
    '/apis/velero.io/v1/namespaces/velero/backups/daily-20261125020000',
  );
  await apply(
    fixtures.podVolumeBackup({
      name: 'daily-20261125020000-postgres-2',
      backupName: olderBackup.metadata.name,
      backupUid: olderBackup.metadata.uid,
      // The claim's uid as Velero recorded it; the claim itself is gone.
      claimUid: '5d0e7a1c-2f4b-4c8e-9a61-0c2d3e4f5a62',
      claimName: 'data-postgres-2',
      podNamespace: 'shop',
      podName: 'postgres-2',
      phase: 'Completed',
      startedHoursAgo: sinceDailyRun + 24,
      durationSeconds: 80,
      bytes: 524288000,
    }),
  );

  // analytics: an LVM volume with a snapshot, whose last backup partly failed.
  const analytics = fixtures.claim({
    namespace: 'analytics',
    name: 'clickhouse-data',
    storageClass: 'openebs-localpv-device',
    labels: { app: 'analytics' },
    size: '50Gi',
    node: 'lab-node-2',
    csiDriver: 'local.csi.openebs.io',
  });
  const analyticsClaim = await apply(analytics.claim);
  await apply(analytics.volume);
  await apply(
    fixtures.volumeSnapshot({
      namespace: 'analytics',
      name: 'clickhouse-before-upgrade',
      claimName: 'clickhouse-data',
      className: 'openebs-lvm-snapshots',
    }),
  );
  const partial = await apply(
    fixtures.backup({
      name: 'daily-analytics-partial',
      namespaces: ['analytics'],
      phase: 'PartiallyFailed',
      schedule: 'daily',
      startedHoursAgo: 3,
      durationSeconds: 420,
    }),
  );
  await apply(
    fixtures.podVolumeBackup({
      name: 'daily-analytics-partial-clickhouse',
      backupName: partial.metadata.name,
      backupUid: partial.metadata.uid,
      claimUid: analyticsClaim.metadata.uid,
      claimName: 'clickhouse-data',
      podNamespace: 'analytics',
      podName: 'clickhouse-0',
      phase: 'Completed',
      startedHoursAgo: 3,
      durationSeconds: 400,
    }),
  );

  // legacy: still on a non-OpenEBS class, never backed up.
  await apply(
    fixtures.claim({
      namespace: 'legacy',
      name: 'uploads',
      storageClass: 'legacy-nfs',
      labels: { 'backstage.io/kubernetes-id': 'legacy-uploads' },
    }).claim,
  );
  process.stdout.write(
    'Seeded demo objects in namespaces shop (with a deleted claim), analytics, legacy\n',
  );
}

main().catch(error => {
  process.stderr.write(`Seeding failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
