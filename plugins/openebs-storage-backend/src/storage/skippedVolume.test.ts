import { ClaimRecord, PodRecord } from '../kubernetes/records';
import { skippedVolumeReason } from './skippedVolume';

const claim: ClaimRecord = {
  uid: 'c1',
  namespace: 'shop',
  name: 'data-db-0',
  labels: {},
  phase: 'Bound',
};
const run = {
  uid: 'b1',
  name: 'daily-20261202020000',
  phase: 'Completed',
  scheduleName: 'daily',
};

function pod(overrides: Partial<PodRecord>): PodRecord {
  return {
    uid: 'p1',
    namespace: 'shop',
    name: 'db-0',
    labels: {},
    claimNames: ['data-db-0'],
    claimByVolume: { data: 'data-db-0' },
    phase: 'Running',
    terminating: false,
    ...overrides,
  };
}

const reason = (pods: PodRecord[], hostPath = false) =>
  skippedVolumeReason({
    claim,
    run,
    pods,
    volume: { uid: 'v1', name: 'pvc-1', hostPath: hostPath || undefined },
  });

describe('skippedVolumeReason', () => {
  it('names the run and the schedule, and says what Velero skips on', () => {
    expect(reason([pod({})], true)).toBe(
      "Newest backup daily-20261202020000 (schedule daily) holds no copy of this volume: its PersistentVolume pvc-1 is a hostPath volume, which Velero's file-system backup skips",
    );
    expect(reason([pod({ fsBackupExcludes: ['cache', 'data'] })])).toContain(
      'pod db-0 opts its volume "data" out with the annotation backup.velero.io/backup-volumes-excludes',
    );
    expect(reason([])).toContain('no pod mounts the claim');
    expect(reason([pod({ phase: 'Pending' })])).toContain(
      'its pod db-0 is Pending',
    );
  });

  it('does not blame an exclusion of another volume, and owns up to not knowing', () => {
    expect(reason([pod({ fsBackupExcludes: ['cache'] })])).toContain(
      'Velero recorded no PodVolumeBackup or DataUpload for it (was its pod running at the time?)',
    );
  });
});
