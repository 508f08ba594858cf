/*
 * Seeds the `fleet` entity of examples/entities.yaml for the Storage tab's
 * timing bench (e2e/bench/, `E2E_BENCH=1 scripts/e2e.sh`): a hundred
 * volumes, each with its pod, and thirty daily backups holding a copy of
 * every one (3,000 PodVolumeBackups). Labelled as demo objects.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/openebs-storage-backend/dev/seedFleet.ts
 */
import { fixtures, LabAdmin, labCluster } from '@openebs-portal/lab-testkit';

const VOLUMES = 100;
const BACKUPS = 30;
const NAMESPACE = 'fleet';
const IDS = { 'backstage.io/kubernetes-id': 'fleet' };
const DEMO_LABEL = { 'openebs-portal.dev/demo': 'true' };

/** Runs `work` over `items`, `width` at a time: the apiserver takes it. */
async function inParallel<T>(
  items: T[],
  width: number,
  work: (item: T) => Promise<unknown>,
) {
  for (let i = 0; i < items.length; i += width) {
    await Promise.all(items.slice(i, i + width).map(work));
  }
}

async function main() {
  const admin = new LabAdmin(labCluster());
  const apply = (manifest: any) => {
    manifest.metadata.labels = { ...manifest.metadata.labels, ...DEMO_LABEL };
    return admin.apply(manifest);
  };
  await apply(fixtures.namespace(NAMESPACE, 'group:default/team-data'));
  await apply(
    fixtures.schedule({ name: 'fleet-daily', namespaces: [NAMESPACE] }),
  );
  const indexes = Array.from({ length: VOLUMES }, (_, i) => i);
  const claimUids = new Map<number, string>();
  await inParallel(indexes, 20, async i => {
    const { claim, volume } = fixtures.claim({
      namespace: NAMESPACE,
      name: `data-worker-${i}`,
      storageClass: 'openebs-localpv-hostpath',
      size: '5Gi',
      node: `lab-node-${(i % 3) + 1}`,
      labels: IDS,
    });
    claimUids.set(i, (await apply(claim)).metadata.uid);
    await apply(volume);
    await apply(
      fixtures.pod({
        namespace: NAMESPACE,
        name: `worker-${i}`,
        labels: IDS,
        claims: [claim.metadata.name],
        nodeName: `lab-node-${(i % 3) + 1}`,
      }),
    );
  });
  for (let day = 0; day < BACKUPS; day++) {
    const hoursAgo = 24 * day + 1;
    const backup = await apply(
      fixtures.backup({
        name: `fleet-daily-${String(day).padStart(2, '0')}`,
        namespaces: [NAMESPACE],
        phase: 'Completed',
        schedule: 'fleet-daily',
        startedHoursAgo: hoursAgo,
        durationSeconds: 200,
      }),
    );
    await inParallel(indexes, 25, i =>
      apply(
        fixtures.podVolumeBackup({
          name: `${backup.metadata.name}-worker-${i}`,
          backupName: backup.metadata.name,
          backupUid: backup.metadata.uid,
          claimUid: claimUids.get(i)!,
          claimName: `data-worker-${i}`,
          podNamespace: NAMESPACE,
          podName: `worker-${i}`,
          phase: 'Completed',
          startedHoursAgo: hoursAgo,
          durationSeconds: 30 + (i % 60),
          bytes: (1 + (i % 7)) * 104857600 + day * 1048576,
        }),
      ),
    );
  }
  admin.close();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
