import { LoggerService } from '@backstage/backend-plugin-api';
import { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { ClusterCaches } from '../kubernetes/ClusterCaches';
import { RestoreProgressUpdate, RestoreStore } from './RestoreStore';
import { restoreProgressOf } from './restoreProgress';
import { RestoreLogs } from './RestoreLogs';
import { InPlaceRunner } from './InPlaceRunner';

/** How long a recorded request may wait for its Restore to appear. */
const MISSING_RESTORE_GRACE_MS = 2 * 60_000;
/** How long Velero may take to hand out a restore log. */
const LOG_GRACE_MS = 10 * 60_000;

export type RestoreAnnouncer = (request: RestoreRequest) => Promise<void>;

export interface RestoreTrackerOptions {
  store: RestoreStore;
  clusters: ClusterCaches;
  logger: LoggerService;
  /** Called after every recorded change: signals, notifications, audit. */
  announce: RestoreAnnouncer;
  logs: RestoreLogs;
  /** Leads in-place restores through their steps. */
  inPlace: InPlaceRunner;
  now?: () => Date;
}

/**
 * Follows every unfinished restore request to its end: the Restore's phase,
 * and per volume its PodVolumeRestore (or DataDownload) with bytes done and
 * the node the data landed on. Reads only the watch caches, so one pass is
 * cheap; it runs as a scheduled task with one runner across instances.
 */
export class RestoreTracker {
  private readonly now: () => Date;

  constructor(private readonly options: RestoreTrackerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async syncOnce(): Promise<void> {
    const { store } = this.options;
    for (const request of await store.listInProgress()) {
      await this.guarded(request, () => this.sync(request));
    }
    for (const request of await store.listAwaitingLog()) {
      await this.guarded(request, () => this.followLog(request));
    }
  }

  private async guarded(request: RestoreRequest, step: () => Promise<void>) {
    try {
      await step();
    } catch (error) {
      this.options.logger.warn(
        `Could not follow restore ${request.restoreName}: ${error}`,
        {
          requestId: request.id,
          cluster: request.cluster,
        },
      );
    }
  }

  /** Keeps the end of the Velero log once Velero hands it out. */
  private async followLog(request: RestoreRequest): Promise<void> {
    const cache = this.cluster(request);
    if (!cache) return;
    const result = await this.options.logs.read(cache, request);
    if (result.state === 'fetched') {
      await this.options.store.setLog(request.id, 'fetched', result.excerpt);
    } else if (result.state === 'unavailable') {
      await this.options.store.setLog(request.id, 'unavailable', result.reason);
    } else {
      const since = Date.parse(request.completedAt ?? request.requestedAt);
      if (this.now().getTime() - since > LOG_GRACE_MS) {
        await this.options.store.setLog(
          request.id,
          'unavailable',
          'Velero did not provide the restore log (is the backup storage location reachable?)',
        );
      }
    }
  }

  private cluster(request: RestoreRequest): ClusterCache | undefined {
    return this.options.clusters.find(request.cluster);
  }

  private async sync(request: RestoreRequest): Promise<void> {
    const cache = this.cluster(request);
    if (!cache || !cache.reflectors.restores.status.synced) return;
    const [restore] = cache.reflectors.restores.store.byIndex(
      'name',
      request.restoreName,
    );
    let update: RestoreProgressUpdate | undefined;
    if (request.inPlace) {
      // In place, the portal's steps come first; the Restore is one of them.
      if (!cache.volumesReadable()) return;
      update = await this.options.inPlace.advance(request, cache, r =>
        restoreProgressOf(cache, r),
      );
    } else {
      update = restore
        ? restoreProgressOf(cache, restore)
        : this.missing(request);
    }
    if (!update) return;
    if (await this.options.store.update(request.id, update)) {
      if (
        restore &&
        (update.state === 'failed' || update.state === 'partially-failed')
      ) {
        // Ask Velero for the log now; a later pass reads it.
        await this.options.logs.request(cache, request.restoreName);
        await this.options.store.setLog(request.id, 'requested');
      }
      const updated = await this.options.store.get(request.id);
      if (updated) await this.options.announce(updated);
    }
  }

  private missing(request: RestoreRequest): RestoreProgressUpdate | undefined {
    const waited = this.now().getTime() - Date.parse(request.requestedAt);
    if (waited < MISSING_RESTORE_GRACE_MS) return undefined;
    return {
      state: 'failed',
      failureReason: `The Velero Restore ${request.restoreName} does not exist (never created, or deleted)`,
      volumeProgress: [],
    };
  }
}
