/*
 * Manifests for test fixtures: the objects OpenEBS, the CSI snapshotter and
 * Velero would create, with the labels, annotations and statuses they write.
 */

export const VELERO_NAMESPACE = 'velero';

const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 3_600_000)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
export const at = { hoursAgo };

export function storageClasses() {
  return [
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: 'openebs-localpv-hostpath',
        annotations: {
          'storageclass.kubernetes.io/is-default-class': 'true',
          'openebs.io/cas-type': 'local',
          'cas.openebs.io/config':
            '- name: StorageType\n  value: "hostpath"\n- name: BasePath\n  value: "/var/openebs/local"\n',
        },
      },
      provisioner: 'openebs.io/local',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'openebs-localpv-device' },
      provisioner: 'local.csi.openebs.io',
      parameters: { storage: 'lvm', volgroup: 'lvmvg' },
      volumeBindingMode: 'WaitForFirstConsumer',
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'legacy-nfs' },
      provisioner: 'nfs.csi.k8s.io',
    },
    {
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshotClass',
      metadata: { name: 'openebs-lvm-snapshots' },
      driver: 'local.csi.openebs.io',
      deletionPolicy: 'Delete',
    },
  ];
}

/**
 * A Node as its kubelet would report it: Ready, or NotReady (`False`, or
 * `Unknown` as the node controller sets when the kubelet stops reporting)
 * since a time. The API-only lab has no kubelet: the status stays as set.
 */
export function node(
  name: string,
  ready: 'True' | 'False' | 'Unknown' = 'True',
  since = '2026-11-26T08:00:00Z',
) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: ready,
          reason: ready === 'True' ? 'KubeletReady' : 'NodeStatusUnknown',
          lastHeartbeatTime: since,
          lastTransitionTime: since,
        },
      ],
    },
  };
}

/** A Namespace, with the owner the platform records on it when given. */
export function namespace(name: string, owner?: string) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      ...(owner && { annotations: { 'openebs-portal.dev/owner': owner } }),
    },
  };
}

export function pod(options: {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  claims: string[];
  nodeName?: string;
  annotations?: Record<string, string>;
}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace: options.namespace,
      name: options.name,
      labels: options.labels ?? {},
      ...(options.annotations && { annotations: options.annotations }),
    },
    spec: {
      nodeName: options.nodeName,
      containers: [{ name: 'main', image: 'busybox' }],
      volumes: options.claims.map((claimName, i) => ({
        name: `data-${i}`,
        persistentVolumeClaim: { claimName },
      })),
    },
  };
}

/** A claim and, when bound, its local PV pinned to a node. */
export function claim(options: {
  namespace: string;
  name: string;
  storageClass: string;
  labels?: Record<string, string>;
  size?: string;
  node?: string;
  csiDriver?: string;
}) {
  const volumeName = `pvc-${options.namespace}-${options.name}`.slice(0, 63);
  const size = options.size ?? '1Gi';
  const claimManifest = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      namespace: options.namespace,
      name: options.name,
      labels: options.labels ?? {},
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: options.storageClass,
      resources: { requests: { storage: size } },
      ...(options.node && { volumeName }),
    },
    ...(options.node && {
      status: {
        phase: 'Bound',
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: size },
      },
    }),
  };
  const volumeManifest = options.node && {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: volumeName },
    spec: {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      storageClassName: options.storageClass,
      claimRef: { namespace: options.namespace, name: options.name },
      ...(options.csiDriver
        ? { csi: { driver: options.csiDriver, volumeHandle: volumeName } }
        : { local: { path: `/var/openebs/local/${volumeName}` } }),
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                {
                  key: options.csiDriver
                    ? 'openebs.io/nodename'
                    : 'kubernetes.io/hostname',
                  operator: 'In',
                  values: [options.node],
                },
              ],
            },
          ],
        },
      },
    },
    status: { phase: 'Bound' },
  };
  return { claim: claimManifest, volume: volumeManifest };
}

export function backup(options: {
  name: string;
  namespaces: string[];
  phase: string;
  schedule?: string;
  startedHoursAgo: number;
  durationSeconds?: number;
  storageLocation?: string;
}) {
  const started = hoursAgo(options.startedHoursAgo);
  const completed =
    options.durationSeconds === undefined
      ? undefined
      : new Date(Date.parse(started) + options.durationSeconds * 1000)
          .toISOString()
          .replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: {
      namespace: VELERO_NAMESPACE,
      name: options.name,
      labels: options.schedule
        ? { 'velero.io/schedule-name': options.schedule }
        : {},
    },
    spec: {
      includedNamespaces: options.namespaces,
      storageLocation: options.storageLocation ?? 'default',
      ttl: '720h0m0s',
      defaultVolumesToFsBackup: true,
    },
    status: {
      phase: options.phase,
      startTimestamp: started,
      completionTimestamp: completed,
      expiration: hoursAgo(options.startedHoursAgo - 720),
      ...(options.phase === 'PartiallyFailed' && { errors: 1 }),
    },
  };
}

/**
 * A PodVolumeBackup as Velero's node-agent writes it. `labelOnly` drops the
 * owner reference and tags, leaving only the (possibly shortened) label.
 */
export function podVolumeBackup(options: {
  name: string;
  backupName: string;
  backupLabel?: string;
  backupUid?: string;
  claimUid: string;
  claimName: string;
  podNamespace: string;
  podName: string;
  phase: string;
  startedHoursAgo: number;
  durationSeconds: number;
  bytes?: number;
  message?: string;
  labelOnly?: boolean;
}) {
  const started = hoursAgo(options.startedHoursAgo);
  const completed = new Date(
    Date.parse(started) + options.durationSeconds * 1000,
  )
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'velero.io/v1',
    kind: 'PodVolumeBackup',
    metadata: {
      namespace: VELERO_NAMESPACE,
      name: options.name,
      labels: {
        'velero.io/backup-name': options.backupLabel ?? options.backupName,
        'velero.io/pvc-uid': options.claimUid,
      },
      annotations: { 'velero.io/pvc-name': options.claimName },
      ...(!options.labelOnly &&
        options.backupUid && {
          ownerReferences: [
            {
              apiVersion: 'velero.io/v1',
              kind: 'Backup',
              name: options.backupName,
              uid: options.backupUid,
              controller: true,
            },
          ],
        }),
    },
    spec: {
      backupStorageLocation: 'default',
      node: 'lab-node-1',
      pod: {
        kind: 'Pod',
        namespace: options.podNamespace,
        name: options.podName,
      },
      volume: 'data-0',
      uploaderType: 'kopia',
      repoIdentifier: '',
      ...(!options.labelOnly && {
        tags: {
          backup: options.backupName,
          'pvc-uid': options.claimUid,
          ns: options.podNamespace,
        },
      }),
    },
    status: {
      phase: options.phase,
      startTimestamp: started,
      completionTimestamp: completed,
      progress: {
        totalBytes: options.bytes ?? 1048576,
        bytesDone: options.bytes ?? 1048576,
      },
      ...(options.message && { message: options.message }),
    },
  };
}

export function schedule(options: {
  name: string;
  namespaces: string[];
  paused?: boolean;
  /** `spec.schedule`; daily at 02:00 unless given. */
  cron?: string;
}) {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: { namespace: VELERO_NAMESPACE, name: options.name },
    spec: {
      schedule: options.cron ?? '0 2 * * *',
      paused: options.paused ?? false,
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: options.namespaces,
        ttl: '720h0m0s',
        defaultVolumesToFsBackup: true,
        storageLocation: 'default',
      },
    },
    status: { phase: 'Enabled', lastBackup: hoursAgo(2) },
  };
}

export function storageLocation(options: {
  name: string;
  phase: string;
  caCertPem?: string;
}) {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'BackupStorageLocation',
    metadata: { namespace: VELERO_NAMESPACE, name: options.name },
    spec: {
      provider: 'aws',
      default: options.name === 'default',
      objectStorage: {
        bucket: 'openebs-backups',
        ...(options.caCertPem && {
          caCert: Buffer.from(options.caCertPem).toString('base64'),
        }),
      },
      config: {
        region: 'minio',
        s3Url: 'https://s3.68cc.io',
        s3ForcePathStyle: 'true',
      },
    },
    status: { phase: options.phase, lastValidationTime: hoursAgo(0.1) },
  };
}

export function volumeSnapshot(options: {
  namespace: string;
  name: string;
  claimName: string;
  className: string;
}) {
  return {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    metadata: { namespace: options.namespace, name: options.name },
    spec: {
      volumeSnapshotClassName: options.className,
      source: { persistentVolumeClaimName: options.claimName },
    },
    status: {
      readyToUse: true,
      restoreSize: '1Gi',
      creationTime: hoursAgo(3),
    },
  };
}

/** A Restore as Velero updates it (the portal creates it; tests move it on). */
export function restore(options: {
  name: string;
  phase: string;
  startedMinutesAgo: number;
  durationSeconds?: number;
  failureReason?: string;
  errors?: number;
}) {
  const started = new Date(Date.now() - options.startedMinutesAgo * 60_000);
  const iso = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata: { namespace: VELERO_NAMESPACE, name: options.name },
    spec: { backupName: 'unused-by-status-updates' },
    status: {
      phase: options.phase,
      startTimestamp: iso(started),
      ...(options.durationSeconds !== undefined && {
        completionTimestamp: iso(
          new Date(started.getTime() + options.durationSeconds * 1000),
        ),
      }),
      ...(options.failureReason && { failureReason: options.failureReason }),
      ...(options.errors !== undefined && { errors: options.errors }),
    },
  };
}

export function podVolumeRestore(options: {
  name: string;
  restoreName: string;
  podNamespace: string;
  podName: string;
  podVolume: string;
  phase: string;
  bytesDone: number;
  totalBytes: number;
}) {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'PodVolumeRestore',
    metadata: {
      namespace: VELERO_NAMESPACE,
      name: options.name,
      labels: { 'velero.io/restore-name': options.restoreName },
    },
    spec: {
      pod: {
        kind: 'Pod',
        namespace: options.podNamespace,
        name: options.podName,
      },
      volume: options.podVolume,
      backupStorageLocation: 'default',
      repoIdentifier: '',
      uploaderType: 'kopia',
      snapshotID: 'abc123',
      sourceNamespace: options.podNamespace,
    },
    status: {
      phase: options.phase,
      progress: {
        bytesDone: options.bytesDone,
        totalBytes: options.totalBytes,
      },
    },
  };
}
