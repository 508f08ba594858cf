/*
 * Restore requests of `component:shop/shop`, one per state, for the client,
 * hook and component tests. Times are relative to `NOW` in ./fixtures.
 */
import {
  RestoreContents,
  RestoreRequest,
} from '@openebs-portal/plugin-openebs-storage-common';

const GiB = 1024 ** 3;

const base = {
  entityRef: 'component:shop/shop',
  cluster: 'lab-a',
  sourceNamespace: 'shop',
  requestedBy: 'user:default/jane.doe',
} as const;

/**
 * What a restore of `shop` from the daily backups brings back: both claims
 * the backups copied, with the StatefulSets whose pods use them, whichever
 * of the two volumes was ticked.
 */
export const shopRestoreContents: RestoreContents = {
  claims: ['data-shop-0', 'data-db-0'],
  workloads: ['StatefulSet/shop', 'StatefulSet/db'],
};

/** Two volumes coming back into a new namespace, 1.5 of 6 GiB so far. */
export const inProgressRestore: RestoreRequest = {
  ...base,
  id: 'req-4',
  requestId: '00000000-0000-4000-8000-000000000004',
  backupName: 'daily-20261117020000',
  mode: 'new-namespace',
  targetNamespace: 'shop-restore-20261117-1150',
  volumes: ['data-shop-0', 'data-db-0'],
  contents: shopRestoreContents,
  requestedAt: '2026-11-17T11:50:00Z',
  restoreName: 'shop-restore-20261117-1150-x7k2p',
  state: 'in-progress',
  phase: 'InProgress',
  startedAt: '2026-11-17T11:50:05Z',
  volumeProgress: [
    {
      claimName: 'data-shop-0',
      phase: 'InProgress',
      bytesDone: 1 * GiB,
      totalBytes: 2 * GiB,
      node: 'lab-node-2',
    },
    {
      claimName: 'data-db-0',
      phase: 'InProgress',
      bytesDone: 0.5 * GiB,
      totalBytes: 4 * GiB,
    },
  ],
};

/**
 * Finished in 9 minutes, within the 15-minute limit; the hostpath volume
 * came back on another node than it was backed up from.
 */
export const completedRestore: RestoreRequest = {
  ...base,
  id: 'req-3',
  requestId: '00000000-0000-4000-8000-000000000003',
  backupName: 'daily-20261116020000',
  mode: 'new-namespace',
  targetNamespace: 'shop-restore-20261116-0900',
  volumes: ['data-shop-0'],
  requestedAt: '2026-11-16T09:00:00Z',
  restoreName: 'shop-restore-20261116-0900-b9c4d',
  state: 'completed',
  phase: 'Completed',
  startedAt: '2026-11-16T09:00:02Z',
  completedAt: '2026-11-16T09:09:02Z',
  durationSeconds: 540,
  withinServiceLevel: true,
  warnings: 0,
  errors: 0,
  volumeProgress: [
    {
      claimName: 'data-shop-0',
      phase: 'Completed',
      bytesDone: 1.5 * GiB,
      totalBytes: 1.5 * GiB,
      node: 'lab-node-3',
    },
  ],
};

/** An in-place restore that took 20 minutes: over the 15-minute limit. */
export const slowInPlaceRestore: RestoreRequest = {
  ...base,
  id: 'req-2',
  requestId: '00000000-0000-4000-8000-000000000002',
  backupName: 'daily-20261116020000',
  mode: 'in-place',
  targetNamespace: 'shop',
  volumes: ['data-db-0'],
  requestedAt: '2026-11-16T06:00:00Z',
  requestedBy: 'user:default/platform-admin',
  restoreName: 'shop-inplace-20261116-0600-q1w2e',
  state: 'partially-failed',
  phase: 'PartiallyFailed',
  startedAt: '2026-11-16T06:00:01Z',
  completedAt: '2026-11-16T06:20:01Z',
  durationSeconds: 1200,
  withinServiceLevel: false,
  warnings: 3,
  errors: 1,
  volumeProgress: [
    {
      claimName: 'data-db-0',
      phase: 'Completed',
      bytesDone: 4 * GiB,
      totalBytes: 4 * GiB,
      node: 'lab-node-2',
    },
  ],
};

/**
 * An in-place restore the portal leads: the workload stopped, the claim
 * removed, Velero restoring, two steps to go.
 */
export const guidedInPlaceRestore: RestoreRequest = {
  ...slowInPlaceRestore,
  id: 'req-5',
  requestId: '00000000-0000-4000-8000-000000000005',
  restoreName: 'shop-restore-5e6f7a8b9c',
  requestedAt: '2026-11-17T11:55:00Z',
  state: 'in-progress',
  phase: 'InProgress',
  startedAt: '2026-11-17T11:56:00Z',
  completedAt: undefined,
  durationSeconds: undefined,
  withinServiceLevel: undefined,
  warnings: undefined,
  errors: undefined,
  volumeProgress: [],
  inPlace: {
    workloads: [{ kind: 'StatefulSet', name: 'db', replicas: 1 }],
    claims: [{ name: 'data-db-0', uid: 'uid-data-db-0' }],
    steps: [
      {
        name: 'stop-workloads',
        state: 'done',
        detail:
          'Scale StatefulSet/db to 0 and wait until no pod mounts the claims',
      },
      {
        name: 'remove-claims',
        state: 'done',
        detail: 'Delete claim(s) data-db-0',
      },
      {
        name: 'restore',
        state: 'running',
        detail: 'Create the Velero Restore and follow it to its end',
      },
      {
        name: 'remove-restore-pods',
        state: 'pending',
        detail: 'Delete the pods Velero ran to write the data back',
      },
      {
        name: 'start-workloads',
        state: 'pending',
        detail: 'Scale StatefulSet/db back and wait until their pods are Ready',
      },
    ],
  },
};

/** Velero could not read the backup. */
export const failedRestore: RestoreRequest = {
  ...base,
  id: 'req-1',
  requestId: '00000000-0000-4000-8000-000000000001',
  backupName: 'manual-20261115',
  mode: 'new-namespace',
  targetNamespace: 'shop-restore-20261115-1100',
  volumes: ['data-shop-0'],
  requestedAt: '2026-11-15T11:00:00Z',
  restoreName: 'shop-restore-20261115-1100-m3n4b',
  state: 'failed',
  phase: 'Failed',
  startedAt: '2026-11-15T11:00:03Z',
  completedAt: '2026-11-15T11:01:03Z',
  durationSeconds: 60,
  withinServiceLevel: true,
  errors: 1,
  failureReason:
    'error restoring data-shop-0: kopia repository not found in s3://openebs-backups',
  volumeProgress: [
    {
      claimName: 'data-shop-0',
      phase: 'Failed',
      message: 'repository not initialised',
    },
  ],
};

/** Cancelled by a platform admin while queued behind another restore. */
export const cancelledRestore: RestoreRequest = {
  ...base,
  id: 'req-0',
  requestId: '00000000-0000-4000-8000-000000000000',
  backupName: 'daily-20261115020000',
  mode: 'new-namespace',
  targetNamespace: 'shop-restore-20261115-0800',
  volumes: ['data-shop-0'],
  contents: shopRestoreContents,
  requestedAt: '2026-11-15T08:00:00Z',
  restoreName: 'shop-restore-20261115-0800-z8x7c',
  state: 'cancelled',
  cancelledBy: 'user:default/platform-admin',
  volumeProgress: [],
};

/** All of them, newest first, as the backend lists them. */
export const allRestores: RestoreRequest[] = [
  inProgressRestore,
  completedRestore,
  slowInPlaceRestore,
  failedRestore,
];
