/*
 * Test data shared by the component tests: one entity (`component:shop/shop`)
 * with three volumes in cluster `lab-a` and an unreachable cluster `lab-b`.
 * The platform records team-a as the owner of namespace `shop`.
 */
import { Entity } from '@backstage/catalog-model';
import {
  DEFAULT_SERVICE_LEVELS,
  EntityStorage,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';

/** The "now" the fixtures' timestamps are relative to. */
export const NOW = new Date('2026-11-17T12:00:00Z');

export const shopEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop',
    namespace: 'shop',
    annotations: { 'backstage.io/kubernetes-id': 'shop' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

const GiB = 1024 ** 3;

/**
 * A hostpath volume on lab-node-1, protected by the daily schedule. Its
 * backups are deliberately out of order; the newest took 7 minutes, over the
 * 5 minute service level.
 */
export const hostpathVolume: VolumeStatus = {
  cluster: 'lab-a',
  namespace: 'shop',
  namespaceOwner: 'group:default/team-a',
  name: 'data-shop-0',
  uid: 'uid-hostpath',
  storageClass: 'openebs-localpv-hostpath',
  engine: 'openebs-hostpath',
  canSnapshot: false,
  phase: 'Bound',
  requested: '10Gi',
  provisioned: '10Gi',
  volumeName: 'pvc-1111',
  node: 'lab-node-1',
  pods: ['shop-0'],
  createdAt: '2026-11-01T08:00:00Z',
  provisioningSeconds: 4,
  provisioningWithinServiceLevel: true,
  snapshots: [],
  backups: [
    {
      backupName: 'daily-20261116020000',
      method: 'fs-backup',
      phase: 'Completed',
      backupPhase: 'Completed',
      scheduleName: 'daily',
      startedAt: '2026-11-16T02:00:00Z',
      completedAt: '2026-11-16T02:03:00Z',
      durationSeconds: 180,
      withinServiceLevel: true,
      bytesDone: 1.5 * GiB,
      totalBytes: 1.5 * GiB,
      expiresAt: '2026-12-16T02:00:00Z',
    },
    {
      backupName: 'daily-20261117020000',
      method: 'fs-backup',
      phase: 'Completed',
      backupPhase: 'PartiallyFailed',
      scheduleName: 'daily',
      startedAt: '2026-11-17T02:00:00Z',
      completedAt: '2026-11-17T02:07:00Z',
      durationSeconds: 420,
      withinServiceLevel: false,
      bytesDone: 1.6 * GiB,
      totalBytes: 1.6 * GiB,
      expiresAt: '2026-12-17T02:00:00Z',
      warnings: 2,
      errors: 1,
    },
    {
      backupName: 'manual-20261115',
      method: 'fs-backup',
      phase: 'Completed',
      startedAt: '2026-11-15T10:00:00Z',
      completedAt: '2026-11-15T10:01:30Z',
      durationSeconds: 90,
      withinServiceLevel: true,
      bytesDone: 1.4 * GiB,
      totalBytes: 1.4 * GiB,
    },
  ],
  lastGoodBackup: {
    backupName: 'daily-20261117020000',
    method: 'fs-backup',
    phase: 'Completed',
    startedAt: '2026-11-17T02:00:00Z',
    completedAt: '2026-11-17T02:07:00Z',
  },
  schedules: ['daily'],
  recoveryPoint: {
    schedule: 'daily',
    cron: '0 2 * * *',
    intervalSeconds: 86400,
    dueAt: '2026-11-17T02:00:00Z',
    at: '2026-11-17T02:00:00Z',
    ageSeconds: 36000,
    overdue: false,
  },
  health: {
    status: 'protected',
    reason: 'The daily schedule backed it up 9 h ago.',
  },
};

/** An LVM volume with one snapshot, provisioned over the 30 s limit. */
export const lvmVolume: VolumeStatus = {
  cluster: 'lab-a',
  namespace: 'shop',
  namespaceOwner: 'group:default/team-a',
  name: 'data-db-0',
  uid: 'uid-lvm',
  storageClass: 'openebs-lvmpv',
  engine: 'openebs-lvm',
  canSnapshot: true,
  phase: 'Bound',
  requested: '20Gi',
  provisioned: '20Gi',
  volumeName: 'pvc-2222',
  node: 'lab-node-2',
  pods: ['db-0'],
  provisioningSeconds: 45,
  provisioningWithinServiceLevel: false,
  snapshots: [
    {
      name: 'db-snap-1',
      className: 'lvm-snapclass',
      readyToUse: true,
      restoreSize: '20Gi',
      createdAt: '2026-11-17T03:00:00Z',
    },
  ],
  backups: [
    {
      backupName: 'daily-20261117020000',
      method: 'data-mover',
      phase: 'Completed',
      backupPhase: 'PartiallyFailed',
      startedAt: '2026-11-17T02:00:00Z',
      durationSeconds: 120,
      withinServiceLevel: true,
      bytesDone: 4 * GiB,
      totalBytes: 4 * GiB,
    },
  ],
  schedules: ['daily'],
  health: {
    status: 'at-risk',
    reason: 'The newest backup partially failed.',
  },
};

/** A volume on a class OpenEBS does not serve, covered by nothing. */
export const otherVolume: VolumeStatus = {
  cluster: 'lab-a',
  namespace: 'shop',
  namespaceOwner: 'group:default/team-a',
  name: 'cache-redis-0',
  uid: 'uid-other',
  storageClass: 'standard',
  engine: 'other',
  canSnapshot: false,
  phase: 'Bound',
  requested: '1Gi',
  provisioned: '1Gi',
  pods: ['redis-0'],
  snapshots: [],
  backups: [],
  schedules: [],
  health: {
    status: 'unprotected',
    reason: 'No backup schedule covers this volume.',
  },
};

/**
 * A claim that was deleted (a replica scaled away) but backed up before:
 * known only from its backup, restorable in place.
 */
export const deletedVolume: VolumeStatus = {
  cluster: 'lab-a',
  namespace: 'shop',
  namespaceOwner: 'group:default/team-a',
  name: 'data-shop-1',
  uid: 'uid-deleted',
  engine: 'unknown',
  canSnapshot: false,
  phase: 'Deleted',
  pods: [],
  snapshots: [],
  backups: [
    {
      backupName: 'daily-20261116020000',
      method: 'fs-backup',
      phase: 'Completed',
      backupPhase: 'Completed',
      scheduleName: 'daily',
      startedAt: '2026-11-16T02:00:00Z',
      completedAt: '2026-11-16T02:02:00Z',
      durationSeconds: 120,
      withinServiceLevel: true,
      bytesDone: 1 * GiB,
      totalBytes: 1 * GiB,
      expiresAt: '2026-12-16T02:00:00Z',
    },
  ],
  lastGoodBackup: {
    backupName: 'daily-20261116020000',
    method: 'fs-backup',
    phase: 'Completed',
    startedAt: '2026-11-16T02:00:00Z',
    completedAt: '2026-11-16T02:02:00Z',
  },
  schedules: [],
  health: {
    status: 'unknown',
    reason:
      'The claim was deleted; its last good backup daily-20261116020000 can be restored',
  },
};

export const fullStorage: EntityStorage = {
  entityRef: 'component:shop/shop',
  generatedAt: '2026-11-17T11:59:00Z',
  health: {
    status: 'at-risk',
    reason: '1 of 3 volumes is not backed up.',
  },
  serviceLevels: DEFAULT_SERVICE_LEVELS,
  clusters: [
    {
      cluster: 'lab-a',
      namespaces: ['shop'],
      volumes: [hostpathVolume, lvmVolume, otherVolume],
      schedules: [
        {
          name: 'daily',
          cron: '0 2 * * *',
          paused: false,
          ttl: '720h0m0s',
          phase: 'Enabled',
          lastBackupAt: '2026-11-17T02:00:00Z',
          storageLocation: 'default',
          coversNamespaces: ['shop'],
        },
        {
          name: 'weekly-archive',
          cron: '0 3 * * 0',
          paused: true,
          coversNamespaces: [],
        },
      ],
      storageLocations: [
        {
          name: 'default',
          phase: 'Available',
          isDefault: true,
          provider: 'aws',
          bucket: 'openebs-backups',
          lastValidatedAt: '2026-11-17T11:58:00Z',
        },
        {
          name: 'secondary',
          phase: 'Unavailable',
          isDefault: false,
          provider: 'aws',
          bucket: 'openebs-backups-dr',
          message: 'BackupStorageLocation "secondary" is unavailable',
        },
      ],
      errors: [],
    },
    {
      cluster: 'lab-b',
      namespaces: [],
      volumes: [],
      schedules: [],
      storageLocations: [],
      errors: [
        {
          reason: 'unreachable',
          message: 'connect ECONNREFUSED 10.0.0.2:6443',
        },
      ],
    },
  ],
};

/**
 * Fakes only the clock (not timers, which the testing library relies on),
 * so relative times like "10 h ago" are stable.
 */
export function freezeClock() {
  jest.useFakeTimers({
    now: NOW,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}
