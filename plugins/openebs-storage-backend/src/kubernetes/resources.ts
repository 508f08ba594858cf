import { ResourceKind } from './ResourceReflector';
import {
  BackupRecord,
  ClaimRecord,
  NamespaceRecord,
  NodeRecord,
  PodRecord,
  RestoreRecord,
  ScheduleRecord,
  SnapshotClassRecord,
  SnapshotRecord,
  StorageClassRecord,
  StorageLocationRecord,
  VolumeBackupRecord,
  VolumeRecord,
  VolumeRestoreRecord,
} from './records';
import {
  PORTAL_LABELS,
  VELERO_ANNOTATIONS,
  VELERO_LABELS,
  veleroCollection,
  veleroLabelValue,
} from './velero';

/*
 * How each mirrored kind is listed, projected to its record and indexed.
 */

const HOSTNAME_KEYS = ['kubernetes.io/hostname', 'openebs.io/nodename'];

/** "a, b" → ['a', 'b']; undefined when there is nothing (most pods). */
function commaList(value: string | undefined): string[] | undefined {
  const items = (value ?? '')
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/**
 * The status fields every per-volume Velero object shares (PodVolumeBackup,
 * DataUpload, PodVolumeRestore, DataDownload).
 */
function volumeTransferStatus(raw: any) {
  return {
    phase: raw.status?.phase ?? 'New',
    startedAt: raw.status?.startTimestamp,
    completedAt: raw.status?.completionTimestamp,
    bytesDone: raw.status?.progress?.bytesDone,
    totalBytes: raw.status?.progress?.totalBytes,
    message: raw.status?.message,
  };
}

/** The node a local volume's data lives on, from its required node affinity. */
function nodeOfVolume(raw: any): string | undefined {
  const terms: any[] =
    raw.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  const expressions = terms.flatMap(term => term.matchExpressions ?? []);
  const pinned = expressions.filter(
    e =>
      e.operator === 'In' && Array.isArray(e.values) && e.values.length === 1,
  );
  const byHostname = pinned.find(e => HOSTNAME_KEYS.includes(e.key));
  return (byHostname ?? pinned[0])?.values[0];
}

function controllerOf(raw: any): string | undefined {
  const owner = raw.metadata?.ownerReferences?.find(
    (o: any) => o.controller === true,
  );
  return owner ? `${owner.kind}/${owner.name}` : undefined;
}

function ownerBackupName(raw: any): string | undefined {
  return raw.metadata?.ownerReferences?.find((o: any) => o.kind === 'Backup')
    ?.name;
}

function casStorageType(raw: any): string | undefined {
  const config: string | undefined =
    raw.metadata?.annotations?.['cas.openebs.io/config'];
  // A YAML list of {name, value}; only StorageType is needed, so a pattern
  // is enough and avoids parsing untrusted YAML from the cluster.
  const match = config?.match(
    /name:\s*["']?StorageType["']?\s*\n\s*value:\s*["']?(\w+)["']?/,
  );
  return match?.[1];
}

export function resourceKinds(veleroNamespace: string) {
  const velero = (plural: string, version = 'v1') =>
    veleroCollection(veleroNamespace, plural, version);

  const pods: ResourceKind<PodRecord> = {
    label: 'v1 pods',
    path: '/api/v1/pods',
    project: raw => ({
      uid: raw.metadata.uid,
      namespace: raw.metadata.namespace,
      name: raw.metadata.name,
      labels: raw.metadata.labels ?? {},
      nodeName: raw.spec?.nodeName,
      controller: controllerOf(raw),
      claimNames: (raw.spec?.volumes ?? [])
        .map((v: any) => v.persistentVolumeClaim?.claimName)
        .filter(Boolean),
      claimByVolume: Object.fromEntries(
        (raw.spec?.volumes ?? [])
          .filter((v: any) => v.persistentVolumeClaim?.claimName)
          .map((v: any) => [v.name, v.persistentVolumeClaim.claimName]),
      ),
      phase: raw.status?.phase,
      ready: (raw.status?.conditions ?? []).some(
        (c: any) => c.type === 'Ready' && c.status === 'True',
      ),
      terminating: Boolean(raw.metadata.deletionTimestamp),
      fsBackupExcludes: commaList(
        raw.metadata.annotations?.[VELERO_ANNOTATIONS.backupVolumesExcludes],
      ),
    }),
    indexes: {
      namespace: p => [p.namespace],
      claim: p => p.claimNames.map(c => `${p.namespace}/${c}`),
      name: p => [`${p.namespace}/${p.name}`],
    },
  };

  // Where local volumes' data lives, and whether that place is alive.
  const nodes: ResourceKind<NodeRecord> = {
    label: 'v1 nodes',
    path: '/api/v1/nodes',
    project: raw => {
      const ready = (raw.status?.conditions ?? []).find(
        (c: any) => c.type === 'Ready',
      );
      return {
        uid: raw.metadata.uid,
        name: raw.metadata.name,
        ready: ready?.status,
        readySince: ready?.lastTransitionTime,
      };
    },
    indexes: { name: n => [n.name] },
  };

  const namespaces: ResourceKind<NamespaceRecord> = {
    label: 'v1 namespaces',
    path: '/api/v1/namespaces',
    project: raw => ({
      uid: raw.metadata.uid,
      name: raw.metadata.name,
      labels: raw.metadata.labels ?? {},
      annotations: Object.fromEntries(
        Object.entries<string>(raw.metadata.annotations ?? {}).filter(
          ([key]) => key !== 'kubectl.kubernetes.io/last-applied-configuration',
        ),
      ),
      phase: raw.status?.phase,
    }),
    indexes: { name: n => [n.name] },
  };

  const claims: ResourceKind<ClaimRecord> = {
    label: 'v1 persistentvolumeclaims',
    path: '/api/v1/persistentvolumeclaims',
    project: raw => ({
      uid: raw.metadata.uid,
      namespace: raw.metadata.namespace,
      name: raw.metadata.name,
      labels: raw.metadata.labels ?? {},
      storageClass: raw.spec?.storageClassName,
      phase: raw.status?.phase ?? 'Unknown',
      requested: raw.spec?.resources?.requests?.storage,
      provisioned: raw.status?.capacity?.storage,
      volumeName: raw.spec?.volumeName,
      selectedNode:
        raw.metadata.annotations?.['volume.kubernetes.io/selected-node'],
      createdAt: raw.metadata.creationTimestamp,
    }),
    indexes: {
      namespace: c => [c.namespace],
      name: c => [`${c.namespace}/${c.name}`],
    },
  };

  const volumes: ResourceKind<VolumeRecord> = {
    label: 'v1 persistentvolumes',
    path: '/api/v1/persistentvolumes',
    project: raw => ({
      uid: raw.metadata.uid,
      name: raw.metadata.name,
      node: nodeOfVolume(raw),
      createdAt: raw.metadata.creationTimestamp,
      csiDriver: raw.spec?.csi?.driver,
      hostPath: raw.spec?.hostPath ? true : undefined,
    }),
    indexes: { name: v => [v.name] },
  };

  const storageClasses: ResourceKind<StorageClassRecord> = {
    label: 'storage.k8s.io/v1 storageclasses',
    path: '/apis/storage.k8s.io/v1/storageclasses',
    project: raw => ({
      uid: raw.metadata.uid,
      name: raw.metadata.name,
      provisioner: raw.provisioner,
      casStorageType: casStorageType(raw),
    }),
    indexes: { name: s => [s.name] },
  };

  const snapshotClasses: ResourceKind<SnapshotClassRecord> = {
    label: 'snapshot.storage.k8s.io/v1 volumesnapshotclasses',
    path: '/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses',
    optional: true,
    project: raw => ({
      uid: raw.metadata.uid,
      name: raw.metadata.name,
      driver: raw.driver,
    }),
    indexes: { driver: s => [s.driver] },
  };

  const snapshots: ResourceKind<SnapshotRecord> = {
    label: 'snapshot.storage.k8s.io/v1 volumesnapshots',
    path: '/apis/snapshot.storage.k8s.io/v1/volumesnapshots',
    optional: true,
    project: raw => ({
      uid: raw.metadata.uid,
      namespace: raw.metadata.namespace,
      name: raw.metadata.name,
      claimName: raw.spec?.source?.persistentVolumeClaimName,
      className: raw.spec?.volumeSnapshotClassName,
      readyToUse: raw.status?.readyToUse === true,
      restoreSize: raw.status?.restoreSize,
      createdAt: raw.status?.creationTime ?? raw.metadata.creationTimestamp,
      error: raw.status?.error?.message,
    }),
    indexes: {
      claim: s => (s.claimName ? [`${s.namespace}/${s.claimName}`] : []),
    },
  };

  const backups: ResourceKind<BackupRecord> = {
    label: 'velero.io/v1 backups',
    path: velero('backups'),
    optional: true,
    project: raw => ({
      uid: raw.metadata.uid,
      name: raw.metadata.name,
      phase: raw.status?.phase ?? 'New',
      scheduleName: raw.metadata.labels?.[VELERO_LABELS.scheduleName],
      storageLocation: raw.spec?.storageLocation,
      startedAt: raw.status?.startTimestamp,
      completedAt: raw.status?.completionTimestamp,
      expiresAt: raw.status?.expiration,
      warnings: raw.status?.warnings,
      errors: raw.status?.errors,
    }),
    indexes: {
      name: b => [b.name],
      // Per-volume objects may only carry the shortened label.
      label: b => [veleroLabelValue(b.name)],
      schedule: b => (b.scheduleName ? [b.scheduleName] : []),
    },
  };

  const volumeBackupIndexes = {
    claimUid: (r: VolumeBackupRecord) => (r.claimUid ? [r.claimUid] : []),
    claim: (r: VolumeBackupRecord) =>
      r.claimNamespace && r.claimName
        ? [`${r.claimNamespace}/${r.claimName}`]
        : [],
    // Backed-up claims of a namespace, including claims deleted since.
    claimNamespace: (r: VolumeBackupRecord) =>
      r.claimNamespace ? [r.claimNamespace] : [],
  };

  const podVolumeBackups: ResourceKind<VolumeBackupRecord> = {
    label: 'velero.io/v1 podvolumebackups',
    path: velero('podvolumebackups'),
    optional: true,
    project: raw => ({
      uid: raw.metadata.uid,
      method: 'fs-backup',
      backupName: ownerBackupName(raw) ?? raw.spec?.tags?.backup,
      backupLabel: raw.metadata.labels?.[VELERO_LABELS.backupName],
      claimUid:
        raw.metadata.labels?.[VELERO_LABELS.pvcUid] ??
        raw.spec?.tags?.['pvc-uid'],
      claimNamespace: raw.spec?.pod?.namespace,
      claimName: raw.metadata.annotations?.['velero.io/pvc-name'],
      podName: raw.spec?.pod?.name,
      ...volumeTransferStatus(raw),
    }),
    indexes: volumeBackupIndexes,
  };

  const dataUploads: ResourceKind<VolumeBackupRecord> = {
    label: 'velero.io/v2alpha1 datauploads',
    path: velero('datauploads', 'v2alpha1'),
    optional: true,
    project: raw => ({
      uid: raw.metadata.uid,
      method: 'data-mover',
      backupName: ownerBackupName(raw),
      backupLabel: raw.metadata.labels?.[VELERO_LABELS.backupName],
      claimUid: raw.metadata.labels?.[VELERO_LABELS.pvcUid],
      claimNamespace: raw.spec?.sourceNamespace,
      claimName: raw.spec?.sourcePVC,
      ...volumeTransferStatus(raw),
    }),
    indexes: volumeBackupIndexes,
  };

  const schedules: ResourceKind<ScheduleRecord> = {
    label: 'velero.io/v1 schedules',
    path: velero('schedules'),
    optional: true,
    project: raw => ({
      uid: raw.metadata.uid,
      name: raw.metadata.name,
      cron: raw.spec?.schedule ?? '',
      paused: raw.spec?.paused === true,
      phase: raw.status?.phase,
      ttl: raw.spec?.template?.ttl,
      lastBackupAt: raw.status?.lastBackup,
      storageLocation: raw.spec?.template?.storageLocation,
      includedNamespaces: raw.spec?.template?.includedNamespaces ?? [],
      excludedNamespaces: raw.spec?.template?.excludedNamespaces ?? [],
      labelSelector: raw.spec?.template?.labelSelector,
      orLabelSelectors: raw.spec?.template?.orLabelSelectors,
    }),
  };

  const storageLocations: ResourceKind<StorageLocationRecord> = {
    label: 'velero.io/v1 backupstoragelocations',
    path: velero('backupstoragelocations'),
    optional: true,
    project: raw => ({
      uid: raw.metadata.uid,
      name: raw.metadata.name,
      phase: raw.status?.phase ?? 'Unknown',
      isDefault: raw.spec?.default === true,
      provider: raw.spec?.provider,
      bucket: raw.spec?.objectStorage?.bucket,
      lastValidatedAt: raw.status?.lastValidationTime,
      message: raw.status?.message,
      caCert: raw.spec?.objectStorage?.caCert
        ? Buffer.from(raw.spec.objectStorage.caCert, 'base64').toString('utf8')
        : undefined,
    }),
    indexes: { name: l => [l.name] },
  };

  const restores: ResourceKind<RestoreRecord> = {
    label: 'velero.io/v1 restores',
    path: velero('restores'),
    optional: true,
    project: raw => ({
      uid: raw.metadata.uid,
      name: raw.metadata.name,
      requestId: raw.metadata.labels?.[PORTAL_LABELS.requestId],
      phase: raw.status?.phase ?? 'New',
      startedAt: raw.status?.startTimestamp,
      completedAt: raw.status?.completionTimestamp,
      warnings: raw.status?.warnings,
      errors: raw.status?.errors,
      failureReason: raw.status?.failureReason,
    }),
    indexes: { name: r => [r.name] },
  };

  const volumeRestoreIndexes = {
    restore: (r: VolumeRestoreRecord) => (r.restoreName ? [r.restoreName] : []),
  };

  const podVolumeRestores: ResourceKind<VolumeRestoreRecord> = {
    label: 'velero.io/v1 podvolumerestores',
    path: velero('podvolumerestores'),
    optional: true,
    project: raw => ({
      uid: raw.metadata.uid,
      restoreName: raw.metadata.labels?.[VELERO_LABELS.restoreName],
      podNamespace: raw.spec?.pod?.namespace,
      podName: raw.spec?.pod?.name,
      podVolume: raw.spec?.volume,
      node: raw.status?.node ?? raw.spec?.node,
      ...volumeTransferStatus(raw),
    }),
    indexes: volumeRestoreIndexes,
  };

  const dataDownloads: ResourceKind<VolumeRestoreRecord> = {
    label: 'velero.io/v2alpha1 datadownloads',
    path: velero('datadownloads', 'v2alpha1'),
    optional: true,
    project: raw => ({
      uid: raw.metadata.uid,
      restoreName: raw.metadata.labels?.[VELERO_LABELS.restoreName],
      claimNamespace: raw.spec?.targetVolume?.namespace,
      claimName: raw.spec?.targetVolume?.pvc,
      node: raw.status?.node,
      ...volumeTransferStatus(raw),
    }),
    indexes: volumeRestoreIndexes,
  };

  return {
    nodes,
    namespaces,
    restores,
    podVolumeRestores,
    dataDownloads,
    pods,
    claims,
    volumes,
    storageClasses,
    snapshotClasses,
    snapshots,
    backups,
    podVolumeBackups,
    dataUploads,
    schedules,
    storageLocations,
  };
}
