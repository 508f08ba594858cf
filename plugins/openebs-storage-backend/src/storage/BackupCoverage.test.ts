import { fixtures } from '@openebs-portal/lab-testkit';
import { memoryCluster } from '../__testUtils__/memoryCluster';
import { DEFAULT_SERVICE_LEVELS } from '@openebs-portal/plugin-openebs-storage-common';
import { BackupCoverage } from './BackupCoverage';

/*
 * The schedule's newest finished run that holds no copy of a volume. It is
 * worked out once per schedule while the Backups are unchanged, so these
 * tests change the Backups between calls and expect the answer to follow.
 */

const claimManifest = fixtures.claim({
  namespace: 'shop',
  name: 'data-db-0',
  storageClass: 'openebs-hostpath',
}).claim;

const run = (name: string, hoursAgo: number, phase = 'Completed') =>
  fixtures.backup({
    name,
    namespaces: ['shop'],
    phase,
    schedule: 'daily',
    startedHoursAgo: hoursAgo,
    durationSeconds: 60,
  });

const copyOf = (backupName: string, hoursAgo: number) =>
  fixtures.podVolumeBackup({
    name: `${backupName}-db-0`,
    backupName,
    claimUid: 'PersistentVolumeClaim/shop/data-db-0',
    claimName: 'data-db-0',
    podNamespace: 'shop',
    podName: 'db-0',
    phase: 'Completed',
    startedHoursAgo: hoursAgo,
    durationSeconds: 30,
  });

function skippedBy(cluster: ReturnType<typeof memoryCluster>) {
  const coverage = new BackupCoverage(cluster.cache, DEFAULT_SERVICE_LEVELS);
  const [claim] = cluster.reflectors.claims.store.values();
  const schedules = Array.from(cluster.reflectors.schedules.store.values());
  return coverage.newestRunWithout(claim, schedules, coverage.backupsOf(claim))
    ?.name;
}

describe('BackupCoverage.newestRunWithout', () => {
  it('follows the Backups as they change', () => {
    const cluster = memoryCluster([
      claimManifest,
      fixtures.schedule({ name: 'daily', namespaces: ['shop'] }),
      run('daily-1', 26),
      copyOf('daily-1', 26),
      run('daily-2', 2),
    ]);
    expect(skippedBy(cluster)).toBe('daily-2');

    cluster.add(copyOf('daily-2', 2));
    expect(skippedBy(cluster)).toBeUndefined();

    // Still running: not a run that skipped the volume (yet).
    cluster.add(run('daily-3', 0.5, 'InProgress'));
    expect(skippedBy(cluster)).toBeUndefined();

    cluster.add(run('daily-3', 0.5, 'Completed'));
    expect(skippedBy(cluster)).toBe('daily-3');

    cluster.remove('Backup', 'velero/daily-3');
    expect(skippedBy(cluster)).toBeUndefined();
  });
});
