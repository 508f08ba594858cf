import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { STORAGE_METRICS } from '@openebs-portal/plugin-openebs-storage-common';
import { BackupRecord } from '../kubernetes/records';
import { ClusterCaches } from '../kubernetes/ClusterCaches';

/**
 * Whether Velero's backup queue is stuck: a backup `ReadyToStart` (Velero
 * starts one within milliseconds), or backups `Queued` while none runs.
 *
 * Velero 1.18 counts in memory the backups it runs (`ReadyToStart` and
 * `InProgress`) and starts a queued one only while that count is under its
 * limit (one by default). Two of its races leave the count wrong for good:
 * its queue adds a backup to the count after marking it ready, so a backup
 * that ends at once (failed validation) can leave the count before it is
 * added and is then counted for ever; and a backup made ready while the
 * backup controller was not watching (as Velero stops or starts) is never
 * started. Either way later backups stay `Queued` and nothing runs.
 * Between two backups the queue may wait for its minute's recheck, so a
 * short wait is normal.
 */
export function queueStalled(backups: Iterable<BackupRecord>): boolean {
  let queued = false;
  let running = false;
  for (const { phase } of backups) {
    if (phase === 'ReadyToStart') return true;
    if (phase === 'InProgress') running = true;
    if (phase === 'Queued') queued = true;
  }
  return queued && !running;
}

/**
 * Per cluster, how long its Velero backup queue has been stuck as this
 * backend saw it: the gauge behind the VeleroBackupQueueStalled alert.
 * Velero has no metric for it (its count of running backups is in memory);
 * the backend mirrors the Backups anyway, so it measures here.
 *
 * Measured at scrape time from the in-memory caches, from the first scrape
 * that found the queue stuck (at most one scrape interval late), so no
 * timer and no API call.
 */
export function observeVeleroQueue(options: {
  metrics: MetricsService;
  clusters: ClusterCaches;
  now?: () => number;
}): void {
  const { metrics, clusters, now = Date.now } = options;
  /** Cluster → when a scrape first found its queue stuck. */
  const stalledSince = new Map<string, number>();
  metrics
    .createObservableGauge(STORAGE_METRICS.veleroQueueStalled, {
      description:
        "Seconds the cluster's Velero backup queue has been stuck (a backup ReadyToStart, or backups Queued while none runs), 0 when it moves",
    })
    .addCallback(result => {
      const scrapedAt = now();
      for (const cache of clusters.all()) {
        const cluster = cache.name;
        // Unreadable: NaN, so the alert neither fires nor keeps firing on
        // a value from before the cluster went away.
        if (!cache.backupsReadable()) {
          stalledSince.delete(cluster);
          result.observe(NaN, { cluster });
          continue;
        }
        if (!queueStalled(cache.reflectors.backups.store.values())) {
          stalledSince.delete(cluster);
          result.observe(0, { cluster });
          continue;
        }
        const since = stalledSince.get(cluster) ?? scrapedAt;
        stalledSince.set(cluster, since);
        result.observe(Math.round((scrapedAt - since) / 1000), { cluster });
      }
    });
}
