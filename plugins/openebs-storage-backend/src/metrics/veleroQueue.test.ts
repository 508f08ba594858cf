import { metrics } from '@opentelemetry/api';
import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { STORAGE_METRICS } from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCaches } from '../kubernetes/ClusterCaches';
import { memoryCluster } from '../__testUtils__/memoryCluster';
import {
  Series,
  startPrometheusScrape,
} from '../__testUtils__/prometheusScrape';
import { observeVeleroQueue } from './veleroQueue';

const backup = (name: string, phase?: string) => ({
  apiVersion: 'velero.io/v1',
  kind: 'Backup',
  metadata: { name, namespace: 'velero' },
  spec: { includedNamespaces: ['shop'] },
  ...(phase ? { status: { phase } } : {}),
});

const readyFor = (all: Series[], cluster: string) =>
  all.find(
    s =>
      s.name === STORAGE_METRICS.veleroBackupReadyToStart &&
      s.labels.cluster === cluster,
  )?.value;

describe('observeVeleroQueue, scraped from the Prometheus exporter', () => {
  let prometheus: Awaited<ReturnType<typeof startPrometheusScrape>>;
  let clock = 0;
  const lab = memoryCluster([], { name: 'lab' });
  const other = memoryCluster([], { name: 'other' });

  beforeAll(async () => {
    prometheus = await startPrometheusScrape();
    observeVeleroQueue({
      metrics: metrics.getMeter('test') as unknown as MetricsService,
      clusters: new ClusterCaches([lab.cache, other.cache]),
      now: () => clock,
    });
  });

  afterAll(() => prometheus.stop());

  it('counts a ReadyToStart backup from the first scrape that saw it, per cluster, and drops to 0 once Velero starts it', async () => {
    lab.add(
      backup('queued', 'Queued'),
      backup('running', 'InProgress'),
      backup('done', 'Completed'),
      backup('new'),
    );
    expect(readyFor(await prometheus.scrape(), 'lab')).toBe(0);

    clock = 1_000_000;
    lab.add(backup('stuck', 'ReadyToStart'));
    expect(readyFor(await prometheus.scrape(), 'lab')).toBe(0);

    clock += 150_000;
    lab.add(backup('later', 'ReadyToStart'));
    let all = await prometheus.scrape();
    // The oldest one counts; the other cluster has none.
    expect(readyFor(all, 'lab')).toBe(150);
    expect(readyFor(all, 'other')).toBe(0);

    clock += 30_000;
    lab.add(backup('stuck', 'InProgress'));
    all = await prometheus.scrape();
    expect(readyFor(all, 'lab')).toBe(30);

    // Ready again after it started: counted afresh.
    lab.remove('Backup', 'velero/later');
    lab.add(backup('later', 'Completed'));
    clock += 10_000;
    lab.add(backup('stuck', 'ReadyToStart'));
    expect(readyFor(await prometheus.scrape(), 'lab')).toBe(0);
  });

  it('reports NaN for a cluster whose backups are not (or no longer) mirrored, not its last value', async () => {
    clock += 200_000;
    expect(readyFor(await prometheus.scrape(), 'lab')).toBe(200);
    lab.reflectors.backups.status = { synced: false };
    expect(readyFor(await prometheus.scrape(), 'lab')).toBeNaN();
    expect(readyFor(await prometheus.scrape(), 'other')).toBe(0);
    lab.reflectors.backups.status = { synced: true };
  });
});
