import { LoggerService } from '@backstage/backend-plugin-api';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { ClusterError } from '@openebs-portal/plugin-openebs-storage-common';
import { IndexedStore } from './IndexedStore';
import { getJson, KubernetesRequestError } from './kubernetesRequest';

/** A kind of object to mirror, and the small projection kept of each. */
export interface ResourceKind<T> {
  /** Names the resource in errors, e.g. `velero.io/v1 backups`. */
  label: string;
  /** Collection path used for list and watch. */
  path: string;
  /** Keeps only what the plugin reads: memory stays small at 20,000 objects. */
  project(raw: any): T;
  /** Which objects are kept at all; all of them when absent. */
  keep?(raw: any): boolean;
  indexes?: Record<string, (item: T) => string[]>;
  /**
   * A CRD that may not be installed (e.g. snapshots). A 404 then means
   * "none", not an error.
   */
  optional?: boolean;
}

interface KubernetesList {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: any[];
}

export interface ReflectorStatus {
  synced: boolean;
  error?: ClusterError;
}

class ResourceGone extends Error {}

function kept<T>(kind: ResourceKind<T>, raw: any): boolean {
  return kind.keep ? kind.keep(raw) : true;
}

/**
 * Puts an object as the API server sent it into the store, projected, or
 * takes it out when the kind does not keep it (any more).
 */
export function mirrorObject<T>(
  store: IndexedStore<T>,
  kind: ResourceKind<T>,
  raw: any,
): void {
  const uid: string = raw.metadata.uid;
  if (!kept(kind, raw)) {
    store.remove(uid);
  } else {
    store.upsert(uid, kind.project(raw));
  }
}

const PAGE_SIZE = 500;
const WATCH_TIMEOUT_SECONDS = 300;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function classifyError(error: unknown, resource: string): ClusterError {
  const statusCode = (error as { statusCode?: number }).statusCode;
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (statusCode === 401 || statusCode === 403) {
    return { reason: 'forbidden', message, resource };
  }
  if (
    code &&
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'ENOTFOUND',
      'EHOSTUNREACH',
      'EAI_AGAIN',
    ].includes(code)
  ) {
    return { reason: 'unreachable', message, resource };
  }
  return { reason: 'error', message, resource };
}

/**
 * Mirrors one Kubernetes collection into an IndexedStore: a paginated list,
 * then a watch from the list's resourceVersion, relisting when the watch
 * expires (410 Gone) or fails. This is the informer pattern, written out
 * because client-node's informer keeps whole objects and we keep projections.
 */
export class ResourceReflector<T> {
  readonly store: IndexedStore<T>;
  private currentStatus: ReflectorStatus = {
    synced: false,
    error: undefined,
  };
  private readonly abort = new AbortController();
  private watchController?: AbortController;
  private firstSync?: Promise<void>;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly kind: ResourceKind<T>,
    private readonly logger: LoggerService,
    private readonly retryDelayMs = 5_000,
  ) {
    this.store = new IndexedStore(kind.indexes);
  }

  get status(): ReflectorStatus {
    return this.currentStatus;
  }

  get label(): string {
    return this.kind.label;
  }

  /** Starts mirroring; resolves after the first list succeeded or failed. */
  start(): Promise<void> {
    if (!this.firstSync) {
      this.firstSync = new Promise(resolve => {
        void this.run(resolve);
      });
    }
    return this.firstSync;
  }

  stop(): void {
    this.abort.abort();
    this.watchController?.abort();
  }

  private async run(onFirstAttempt: () => void): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const resourceVersion = await this.list();
        this.currentStatus = { synced: true };
        failures = 0;
        onFirstAttempt();
        await this.watchFrom(resourceVersion);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        // Expired, as an ERROR event or as the watch request's own 410: relist.
        if (
          error instanceof ResourceGone ||
          (error as { statusCode?: number }).statusCode === 410
        ) {
          continue;
        }
        if (
          this.kind.optional &&
          (error as { statusCode?: number }).statusCode === 404
        ) {
          // The CRD is not installed: nothing to show, look again later.
          this.store.replaceAll([]);
          this.currentStatus = { synced: true };
        } else {
          const clusterError = classifyError(error, this.kind.label);
          this.currentStatus = {
            synced: this.currentStatus.synced,
            error: clusterError,
          };
          this.logger.warn(
            `Cannot read ${this.kind.label}: ${clusterError.message}`,
          );
        }
        onFirstAttempt();
        failures++;
        await sleep(
          Math.min(this.retryDelayMs * 2 ** Math.min(failures - 1, 3), 60_000),
          this.abort.signal,
        );
      }
    }
  }

  private async list(): Promise<string> {
    const entries: Array<[string, T]> = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (continueToken) query.set('continue', continueToken);
      const page = await getJson<KubernetesList>(
        this.kubeConfig,
        `${this.kind.path}?${query}`,
      );
      for (const raw of page.items ?? []) {
        if (!kept(this.kind, raw)) continue;
        entries.push([raw.metadata.uid, this.kind.project(raw)]);
      }
      continueToken = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? '';
    } while (continueToken);
    this.store.replaceAll(entries);
    return resourceVersion;
  }

  /** Follows changes until the watch fails; returns only when stopped. */
  private async watchFrom(initialResourceVersion: string): Promise<void> {
    let resourceVersion = initialResourceVersion;
    const watch = new Watch(this.kubeConfig);
    while (!this.abort.signal.aborted) {
      resourceVersion = await this.watchOnce(watch, resourceVersion);
    }
  }

  /**
   * One watch request, until the server ends it (timeoutSeconds); resolves
   * with the last resourceVersion seen, rejects when the watch fails.
   */
  private watchOnce(
    watch: Watch,
    fromResourceVersion: string,
  ): Promise<string> {
    let resourceVersion = fromResourceVersion;
    let ended = false;
    return new Promise<string>((resolve, reject) => {
      const end = (error?: unknown) => {
        ended = true;
        // The stream stops here: nothing after an error or after stop()
        // may change the store beside the relist that follows.
        this.watchController?.abort();
        if (error) reject(error);
        else resolve(resourceVersion);
      };
      watch
        .watch(
          this.kind.path,
          {
            resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds: WATCH_TIMEOUT_SECONDS,
          },
          (type, object) => {
            if (ended || this.abort.signal.aborted) return;
            if (type === 'ERROR') {
              end(
                object?.code === 410
                  ? new ResourceGone()
                  : new KubernetesRequestError(object?.code, object?.message),
              );
              return;
            }
            const uid = object?.metadata?.uid;
            resourceVersion =
              object?.metadata?.resourceVersion ?? resourceVersion;
            if (type === 'BOOKMARK' || !uid) return;
            if (type === 'DELETED') {
              this.store.remove(uid);
            } else {
              mirrorObject(this.store, this.kind, object);
            }
          },
          error => {
            if (!ended) end(error ?? undefined);
          },
        )
        .then(controller => {
          this.watchController = controller;
          // Stopped (or ended) while the watch was still connecting.
          if (ended || this.abort.signal.aborted) controller.abort();
        }, reject);
    });
  }
}
