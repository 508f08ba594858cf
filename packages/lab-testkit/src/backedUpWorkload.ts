import { LabAdmin } from './labCluster';
import * as fixtures from './storageFixtures';

export interface BackedUpWorkloadOptions {
  namespace: string;
  /** The owner the platform records on the namespace; none when omitted. */
  owner?: string;
  pod: string;
  claim: string;
  /** The pod's labels: the entity's selector matches them. */
  labels: Record<string, string>;
  backupName: string;
  backupHoursAgo?: number;
  /** Bytes the PodVolumeBackup copied (the fixture's default otherwise). */
  bytes?: number;
}

/**
 * A namespace with one pod on a hostpath claim, and a Completed Velero
 * backup that copied the claim (the Backup and its PodVolumeBackup), as
 * Velero leaves them: what a restore test starts from.
 */
export async function applyBackedUpWorkload(
  admin: LabAdmin,
  options: BackedUpWorkloadOptions,
) {
  const { namespace, backupName, backupHoursAgo = 2 } = options;
  await admin.apply(fixtures.namespace(namespace, options.owner));
  const db = fixtures.claim({
    namespace,
    name: options.claim,
    storageClass: 'openebs-localpv-hostpath',
    node: 'lab-node-1',
  });
  const claim = await admin.apply(db.claim);
  await admin.apply(db.volume);
  await admin.apply(
    fixtures.pod({
      namespace,
      name: options.pod,
      labels: options.labels,
      claims: [options.claim],
    }),
  );
  const backup = await admin.apply(
    fixtures.backup({
      name: backupName,
      namespaces: [namespace],
      phase: 'Completed',
      startedHoursAgo: backupHoursAgo,
      durationSeconds: 60,
    }),
  );
  await admin.apply(
    fixtures.podVolumeBackup({
      name: `${backupName}-${options.pod}`,
      backupName,
      backupUid: backup.metadata.uid,
      claimUid: claim.metadata.uid,
      claimName: options.claim,
      podNamespace: namespace,
      podName: options.pod,
      phase: 'Completed',
      startedHoursAgo: backupHoursAgo,
      durationSeconds: 30,
      bytes: options.bytes,
    }),
  );
  return { claim, backup };
}
