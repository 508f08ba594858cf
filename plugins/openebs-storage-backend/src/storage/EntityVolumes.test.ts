import { fixtures } from '@openebs-portal/lab-testkit';
import { memoryCluster } from '../__testUtils__/memoryCluster';
import { parseLabelSelector } from '../entities/labelSelector';
import { findDeletedClaims, findEntityClaims } from './EntityVolumes';

/*
 * Which namespaces are an entity's, without the namespace annotation: the
 * cache keeps only pods that mount a claim (or that a restore made), so a
 * stateless pod no longer attributes its namespace.
 */

const labels = { 'backstage.io/kubernetes-id': 'shop' };
const selection = {
  selector: parseLabelSelector('backstage.io/kubernetes-id=shop'),
};

function backedUpThenDeleted(namespace: string) {
  return fixtures.podVolumeBackup({
    name: `daily-1-${namespace}-db-0`,
    backupName: 'daily-1',
    claimUid: `uid-${namespace}-data-db-0`,
    claimName: 'data-db-0',
    podNamespace: namespace,
    podName: 'db-0',
    phase: 'Completed',
    startedHoursAgo: 3,
    durationSeconds: 40,
  });
}

describe('findEntityClaims', () => {
  it('finds namespaces through pods that mount a claim and labelled claims, not stateless pods', () => {
    const { cache } = memoryCluster([
      fixtures.pod({
        namespace: 'shop',
        name: 'db-0',
        claims: ['data-db-0'],
        labels,
      }),
      fixtures.claim({
        namespace: 'shop',
        name: 'data-db-0',
        storageClass: 'openebs-hostpath',
      }).claim,
      fixtures.claim({
        namespace: 'shop-cache',
        name: 'redis',
        storageClass: 'openebs-hostpath',
        labels,
      }).claim,
      fixtures.pod({
        namespace: 'shop-web',
        name: 'web-1',
        claims: [],
        labels,
      }),
    ]);
    const found = findEntityClaims(cache, selection);
    expect(found.claims.map(c => `${c.namespace}/${c.name}`)).toEqual([
      'shop-cache/redis',
      'shop/data-db-0',
    ]);
    expect(found.namespaces).toEqual(['shop', 'shop-cache']);
  });

  it('shows claims deleted with their workload only in the namespaces found', () => {
    const { cache } = memoryCluster([
      fixtures.pod({
        namespace: 'shop-web',
        name: 'web-1',
        claims: [],
        labels,
      }),
      backedUpThenDeleted('shop-web'),
    ]);
    const { namespaces } = findEntityClaims(cache, selection);
    expect(namespaces).toEqual([]);
    // With the namespace annotation the namespace is given, and the
    // deleted claim is found from its backup.
    expect(findDeletedClaims(cache, ['shop-web']).map(c => c.name)).toEqual([
      'data-db-0',
    ]);
  });
});
