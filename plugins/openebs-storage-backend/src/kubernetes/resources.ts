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
import { StringPool } from './stringPool';

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
function volumeTransferStatus(raw: any, pool: StringPool) {
  return {
    phase: pool.intern(raw.status?.phase ?? 'New'),
    startedAt: raw.status?.startTimestamp,
    completedAt: raw.status?.completionTimestamp,
    bytesDone: raw.status?.progress?.bytesDone,
    totalBytes: raw.status?.progress?.totalBytes,
    message: pool.intern(raw.status?.message),
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

/** The pod's volumes that are claims. */
function claimVolumes(raw: any): any[] {
  return (raw.spec?.volumes ?? []).filter(
    (v: any) => v.persistentVolumeClaim?.claimName,
  );
}

/**
 * Whether the cache keeps a pod: only pods that mount a claim are read by
 * requests, and pods a Velero restore made (drills and in-place restores
 * follow them whether they mount a claim or not). Most pods of a cluster
 * are neither, and keeping them would be most of the cache.
 */
function podMatters(raw: any): boolean {
  const labels = raw.metadata?.labels ?? {};
  return (
    claimVolumes(raw).length > 0 ||
    VELERO_LABELS.restoreName in labels ||
    PORTAL_LABELS.restorePod in labels
  );
}

/**
 * The kinds of one cluster's cache. Their projections share one string pool
 * (see StringPool), so a claim's uid and name are held once however many
 * Velero objects name the claim.
 */
export function resourceKinds(
  veleroNamespace: string,
  pool: StringPool = new StringPool(),
) {
  const velero = (plural: string, version = 'v1') =>
    veleroCollection(veleroNamespace, plural, version);
  const intern = <S extends string | undefined>(value: S) => pool.intern(value);

  const pods: ResourceKind<PodRecord> = {
    label: 'v1 pods',
    path: '/api/v1/pods',
    keep: podMatters,
    project: raw => {
      const claims = claimVolumes(raw);
      return {
        uid: raw.metadata.uid,
        namespace: intern(raw.metadata.namespace),
        name: raw.metadata.name,
        labels: pool.labels(raw.metadata.labels),
        nodeName: intern(raw.spec?.nodeName),
        controller: intern(controllerOf(raw)),
        claimNames: claims.map((v: any) =>
          intern(v.persistentVolumeClaim.claimName),
        ),
        claimByVolume: Object.fromEntries(
          claims.map((v: any) => [
            intern(v.name),
            intern(v.persistentVolumeClaim.claimName),
          ]),
        ),
        phase: intern(raw.status?.phase),
        ready: (raw.status?.conditions ?? []).some(
          (c: any) => c.type === 'Ready' && c.status === 'True',
        ),
        terminating: Boolean(raw.metadata.deletionTimestamp),
        fsBackupExcludes: commaList(
          raw.metadata.annotations?.[VELERO_ANNOTATIONS.backupVolumesExcludes],
        ),
      };
    },
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
        name: intern(raw.metadata.name),
        ready: intern(ready?.status),
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
      name: intern(raw.metadata.name),
      labels: pool.labels(raw.metadata.labels),
      annotations: pool.labels(
        Object.fromEntries(
          Object.entries<string>(raw.metadata.annotations ?? {}).filter(
            ([key]) =>
              key !== 'kubectl.kubernetes.io/last-applied-configuration',
          ),
        ),
      ),
      phase: intern(raw.status?.phase),
    }),
    indexes: { name: n => [n.name] },
  };

  const claims: ResourceKind<ClaimRecord> = {
    label: 'v1 persistentvolumeclaims',
    path: '/api/v1/persistentvolumeclaims',
    project: raw => ({
      // Every Velero object of the claim repeats its uid and name.
      uid: intern(raw.metadata.uid),
      namespace: intern(raw.metadata.namespace),
      name: intern(raw.metadata.name),
      labels: pool.labels(raw.metadata.labels),
      storageClass: intern(raw.spec?.storageClassName),
      phase: intern(raw.status?.phase ?? 'Unknown'),
      requested: intern(raw.spec?.resources?.requests?.storage),
      provisioned: intern(raw.status?.capacity?.storage),
      volumeName: raw.spec?.volumeName,
      selectedNode: intern(
        raw.metadata.annotations?.['volume.kubernetes.io/selected-node'],
      ),
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
      node: intern(nodeOfVolume(raw)),
      createdAt: raw.metadata.creationTimestamp,
      csiDriver: intern(raw.spec?.csi?.driver),
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
      namespace: intern(raw.metadata.namespace),
      name: raw.metadata.name,
      claimName: intern(raw.spec?.source?.persistentVolumeClaimName),
      className: intern(raw.spec?.volumeSnapshotClassName),
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
      // Each per-volume object of the backup repeats its name.
      name: intern(raw.metadata.name),
      phase: intern(raw.status?.phase ?? 'New'),
      scheduleName: intern(raw.metadata.labels?.[VELERO_LABELS.scheduleName]),
      storageLocation: intern(raw.spec?.storageLocation),
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
      backupName: intern(ownerBackupName(raw) ?? raw.spec?.tags?.backup),
      backupLabel: intern(raw.metadata.labels?.[VELERO_LABELS.backupName]),
      claimUid: intern(
        raw.metadata.labels?.[VELERO_LABELS.pvcUid] ??
          raw.spec?.tags?.['pvc-uid'],
      ),
      claimNamespace: intern(raw.spec?.pod?.namespace),
      claimName: intern(raw.metadata.annotations?.['velero.io/pvc-name']),
      podName: intern(raw.spec?.pod?.name),
      ...volumeTransferStatus(raw, pool),
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
      backupName: intern(ownerBackupName(raw)),
      backupLabel: intern(raw.metadata.labels?.[VELERO_LABELS.backupName]),
      claimUid: intern(raw.metadata.labels?.[VELERO_LABELS.pvcUid]),
      claimNamespace: intern(raw.spec?.sourceNamespace),
      claimName: intern(raw.spec?.sourcePVC),
      ...volumeTransferStatus(raw, pool),
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
      phase: intern(raw.status?.phase ?? 'New'),
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
      restoreName: intern(raw.metadata.labels?.[VELERO_LABELS.restoreName]),
      podNamespace: intern(raw.spec?.pod?.namespace),
      podName: raw.spec?.pod?.name,
      podVolume: intern(raw.spec?.volume),
      node: intern(raw.status?.node ?? raw.spec?.node),
      ...volumeTransferStatus(raw, pool),
    }),
    indexes: volumeRestoreIndexes,
  };

  const dataDownloads: ResourceKind<VolumeRestoreRecord> = {
    label: 'velero.io/v2alpha1 datadownloads',
    path: velero('datadownloads', 'v2alpha1'),
    optional: true,
    project: raw => ({
      uid: raw.metadata.uid,
      restoreName: intern(raw.metadata.labels?.[VELERO_LABELS.restoreName]),
      claimNamespace: intern(raw.spec?.targetVolume?.namespace),
      claimName: intern(raw.spec?.targetVolume?.pvc),
      node: intern(raw.status?.node),
      ...volumeTransferStatus(raw, pool),
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
