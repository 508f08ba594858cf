import { metrics } from '@opentelemetry/api';
import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { STORAGE_METRICS } from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCaches } from '../kubernetes/ClusterCaches';
import { BackupRecord } from '../kubernetes/records';
import { memoryCluster } from '../__testUtils__/memoryCluster';
import {
  Series,
  startPrometheusScrape,
} from '../__testUtils__/prometheusScrape';
import { observeVeleroQueue, queueStalled } from './veleroQueue';

const backup = (name: string, phase?: string) => ({
  apiVersion: 'velero.io/v1',
  kind: 'Backup',
  metadata: { name, namespace: 'velero' },
  spec: { includedNamespaces: ['shop'] },
  ...(phase ? { status: { phase } } : {}),
});

const phases = (...list: string[]) =>
  list.map(phase => ({ phase } as BackupRecord));

describe('queueStalled', () => {
  it('is stuck with a backup ReadyToStart, or backups Queued while none runs', () => {
    expect(queueStalled(phases('Completed', 'ReadyToStart'))).toBe(true);
    expect(queueStalled(phases('Queued', 'FailedValidation'))).toBe(true);
    expect(queueStalled(phases('Queued', 'Finalizing'))).toBe(true);
    // Whatever else runs: Velero starts a ready one at once.
    expect(queueStalled(phases('InProgress', 'ReadyToStart'))).toBe(true);
  });

  it('moves while one runs, or when nothing waits', () => {
    expect(queueStalled(phases('Queued', 'Queued', 'InProgress'))).toBe(false);
    expect(queueStalled(phases('Completed', 'New', 'PartiallyFailed'))).toBe(
      false,
    );
    expect(queueStalled([])).toBe(false);
  });
});

const stalledFor = (all: Series[], cluster: string) =>
  all.find(
    s =>
      s.name === STORAGE_METRICS.veleroQueueStalled &&
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

  it('counts from the first scrape that found the queue stuck, per cluster, and drops to 0 once it moves', async () => {
    lab.add(backup('done', 'Completed'), backup('running', 'InProgress'));
    lab.add(backup('waiting', 'Queued'));
    expect(stalledFor(await prometheus.scrape(), 'lab')).toBe(0);

    clock = 1_000_000;
    lab.add(backup('running', 'FailedValidation'));
    expect(stalledFor(await prometheus.scrape(), 'lab')).toBe(0);

    clock += 150_000;
    let all = await prometheus.scrape();
    expect(stalledFor(all, 'lab')).toBe(150);
    expect(stalledFor(all, 'other')).toBe(0);

    // Started: it moves, and a later stall counts afresh.
    lab.add(backup('waiting', 'InProgress'));
    clock += 30_000;
    expect(stalledFor(await prometheus.scrape(), 'lab')).toBe(0);
    lab.add(backup('left', 'ReadyToStart'));
    clock += 10_000;
    expect(stalledFor(await prometheus.scrape(), 'lab')).toBe(0);
    clock += 200_000;
    all = await prometheus.scrape();
    expect(stalledFor(all, 'lab')).toBe(200);
  });

  it('reports NaN for a cluster whose backups are not (or no longer) mirrored, not its last value', async () => {
    lab.reflectors.backups.status = { synced: false };
    expect(stalledFor(await prometheus.scrape(), 'lab')).toBeNaN();
    expect(stalledFor(await prometheus.scrape(), 'other')).toBe(0);
    lab.reflectors.backups.status = { synced: true };
    // Counted afresh once readable again.
    expect(stalledFor(await prometheus.scrape(), 'lab')).toBe(0);
  });
});
