import { VolumeMigration } from '@openebs-portal/plugin-openebs-storage-common';

/** A migration awaiting confirmation, as the runner leaves one (tests only). */
export function aVolumeMigration(
  overrides: Partial<VolumeMigration> = {},
): VolumeMigration {
  return {
    id: 'm-1',
    requestId: 'r-1',
    entityRef: 'component:default/legacy-uploads',
    cluster: 'lab',
    namespace: 'legacy-uploads',
    claim: 'uploads',
    claimUid: 'uid-1',
    capacity: '2Gi',
    accessModes: ['ReadWriteOnce'],
    claimLabels: {},
    source: { name: 'pv-old', storageClass: 'lab-local-static' },
    targetClass: 'openebs-localpv-hostpath',
    target: { name: 'pv-new', storageClass: 'openebs-localpv-hostpath' },
    copyClaim: 'uploads-openebs-m-1',
    workloads: [{ kind: 'Deployment', name: 'uploads', replicas: 2 }],
    steps: [],
    state: 'awaiting-confirmation',
    requestedBy: 'user:default/guest',
    requestedAt: '2026-12-04T01:00:00Z',
    manifest: { files: 320, bytes: 1024, sha256: 'abc' },
    downtimeSeconds: 34,
    updatedAt: '2026-12-04T01:01:00Z',
    ...overrides,
  };
}
