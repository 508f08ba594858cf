import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { STORAGE_METRICS } from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCaches } from '../kubernetes/ClusterCaches';

/** The phase between Velero's queue and its backup controller. */
const READY_TO_START = 'ReadyToStart';

/**
 * Per cluster, how long its oldest Velero Backup has sat `ReadyToStart`
 * as this backend saw it: the gauge behind the VeleroBackupStalled alert.
 *
 * Velero's queue moves a backup to `ReadyToStart`, and its backup
 * controller starts it on that update. Velero 1.18 starts one only on such
 * an update, never when it first finds one already there: a backup made
 * ready as Velero stopped, or at its start before the backup controller
 * watched (a schedule due at once after a restart), is never started, and
 * counted as running it keeps later backups queued. Velero has no metric
 * for it; the backend mirrors the Backups anyway, so it measures here.
 *
 * Measured at scrape time from the in-memory caches: a Backup's status has
 * no time for its last phase change, so the age counts from the first
 * scrape that found it ready (at most one scrape interval late).
 */
export function observeVeleroQueue(options: {
  metrics: MetricsService;
  clusters: ClusterCaches;
  now?: () => number;
}): void {
  const { metrics, clusters, now = Date.now } = options;
  /** Backup uid → when a scrape first found it ready. */
  let readySince = new Map<string, number>();
  metrics
    .createObservableGauge(STORAGE_METRICS.veleroBackupReadyToStart, {
      description:
        'Seconds the oldest Velero Backup of the cluster has been ReadyToStart without Velero starting it, 0 for none',
    })
    .addCallback(result => {
      const scrapedAt = now();
      const seen = new Map<string, number>();
      for (const cache of clusters.all()) {
        // Unreadable: NaN, so the alert neither fires nor keeps firing on
        // a value from before the cluster went away.
        if (!cache.backupsReadable()) {
          result.observe(NaN, { cluster: cache.name });
          continue;
        }
        let oldest = scrapedAt;
        for (const backup of cache.reflectors.backups.store.values()) {
          if (backup.phase !== READY_TO_START) continue;
          const since = readySince.get(backup.uid) ?? scrapedAt;
          seen.set(backup.uid, since);
          oldest = Math.min(oldest, since);
        }
        result.observe(Math.round((scrapedAt - oldest) / 1000), {
          cluster: cache.name,
        });
      }
      // Forgets backups that started or went: the map stays small.
      readySince = seen;
    });
}
