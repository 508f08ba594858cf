import { fixtures, LabAdmin } from '@openebs-portal/lab-testkit';

/**
 * A claim on the hostpath class with the pod that mounts it (`<id>-0`,
 * labelled with the Kubernetes id), as a StatefulSet leaves them, in a
 * namespace recorded as `owner`'s. Returns the claim's uid.
 */
export async function claimWithPod(
  admin: LabAdmin,
  options: {
    namespace: string;
    id: string;
    owner?: string;
    podAnnotations?: Record<string, string>;
  },
): Promise<string> {
  const { namespace, id } = options;
  await admin.apply(fixtures.namespace(namespace, options.owner));
  const { claim, volume } = fixtures.claim({
    namespace,
    name: 'data',
    storageClass: 'openebs-localpv-hostpath',
    node: 'lab-node-1',
  });
  const created = await admin.apply(claim);
  await admin.apply(volume);
  await admin.apply(
    fixtures.pod({
      namespace,
      name: `${id}-0`,
      labels: { 'backstage.io/kubernetes-id': id },
      claims: ['data'],
      nodeName: 'lab-node-1',
      annotations: options.podAnnotations,
    }),
  );
  return created.metadata.uid as string;
}

/**
 * A Completed run of `schedule` started `hoursAgo`, as Velero writes it,
 * and, unless `skipped`, its copy of the claim from `claimWithPod`.
 */
export async function completedRun(
  admin: LabAdmin,
  options: {
    namespace: string;
    id: string;
    schedule: string;
    name: string;
    hoursAgo: number;
    claimUid: string;
    skipped?: boolean;
  },
) {
  const { namespace } = options;
  const backup = await admin.apply(
    fixtures.backup({
      name: options.name,
      namespaces: [namespace],
      phase: 'Completed',
      schedule: options.schedule,
      startedHoursAgo: options.hoursAgo,
      durationSeconds: 30,
    }),
  );
  if (options.skipped) return;
  await admin.apply(
    fixtures.podVolumeBackup({
      name: `${options.name}-data`,
      backupName: backup.metadata.name,
      backupUid: backup.metadata.uid,
      claimUid: options.claimUid,
      claimName: 'data',
      podNamespace: namespace,
      podName: `${options.id}-0`,
      phase: 'Completed',
      startedHoursAgo: options.hoursAgo,
      durationSeconds: 20,
    }),
  );
}
