import { fixtures } from '@openebs-portal/lab-testkit';
import { memoryCluster } from '../__testUtils__/memoryCluster';
import { resourceKinds } from './resources';
import { StringPool } from './stringPool';

/*
 * What the cache keeps of a cluster: the pods requests need, and one copy
 * of the strings every Velero object of a claim repeats.
 */

const pod = (name: string, claims: string[], labels = {}) =>
  fixtures.pod({ namespace: 'shop', name, claims, labels });

describe('resourceKinds', () => {
  it('keeps the pods that mount a claim or that a restore made, no others', () => {
    const { reflectors } = memoryCluster([
      pod('db-0', ['data-db-0']),
      pod('web-1', []),
      pod('restored-web', [], { 'velero.io/restore-name': 'r-1' }),
      pod('in-place', [], { 'openebs-portal.dev/restore-pod': 'r-2' }),
    ]);
    const names = Array.from(reflectors.pods.store.values())
      .map(p => p.name)
      .sort();
    expect(names).toEqual(['db-0', 'in-place', 'restored-web']);
    expect(reflectors.pods.store.byIndex('namespace', 'shop')).toHaveLength(3);
  });

  it('drops a kept pod that the cluster says no longer matters', () => {
    const cluster = memoryCluster([
      pod('restored-web', [], { 'velero.io/restore-name': 'r-1' }),
    ]);
    cluster.add(pod('restored-web', [], { app: 'web' }));
    expect(cluster.reflectors.pods.store.size).toBe(0);
    expect(
      cluster.reflectors.pods.store.byIndex('name', 'shop/restored-web'),
    ).toEqual([]);
  });

  it("passes a claim's uid, name and namespace through the pool wherever Velero objects repeat them", () => {
    // Equal strings cannot be told apart in JavaScript, so this checks that
    // both kinds hand these fields to the pool, which keeps the first copy.
    const pool = new StringPool();
    const intern = jest.spyOn(pool, 'intern');
    const kinds = resourceKinds('velero', pool);
    const { claim } = fixtures.claim({
      namespace: 'shop',
      name: 'data-db-0',
      storageClass: 'openebs-localpv-hostpath',
    });
    kinds.claims.project({
      ...claim,
      metadata: { ...claim.metadata, uid: 'claim-uid-1' },
    });
    const claimFields = intern.mock.calls.map(([value]) => value);
    intern.mockClear();
    kinds.podVolumeBackups.project(
      fixtures.podVolumeBackup({
        name: 'daily-1-db-0',
        backupName: 'daily-1',
        claimUid: 'claim-uid-1',
        claimName: 'data-db-0',
        podNamespace: 'shop',
        podName: 'db-0',
        phase: 'Completed',
        startedHoursAgo: 1,
        durationSeconds: 30,
      }),
    );
    const volumeBackupFields = intern.mock.calls.map(([value]) => value);
    for (const value of ['claim-uid-1', 'data-db-0', 'shop']) {
      expect(claimFields).toContain(value);
      expect(volumeBackupFields).toContain(value);
    }
    expect(volumeBackupFields).toContain('daily-1');
  });
});
