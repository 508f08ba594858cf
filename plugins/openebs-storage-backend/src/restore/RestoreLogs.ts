import { promisify } from 'util';
import { gunzip } from 'zlib';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { requestJson } from '../kubernetes/kubernetesRequest';

const gunzipAsync = promisify(gunzip);

/** How much of the log end is kept: enough for the errors, small in the database. */
const EXCERPT_LINES = 60;
const EXCERPT_BYTES = 16 * 1024;

export type RestoreLogResult =
  | { state: 'pending' }
  | { state: 'fetched'; excerpt: string }
  | { state: 'unavailable'; reason: string };

/**
 * Velero keeps a restore's log in the object store; a DownloadRequest makes
 * it hand out a short-lived URL. The portal asks once per failed restore and
 * keeps the end of the log, so the owner sees why without cluster access.
 */
export class RestoreLogs {
  constructor(
    private readonly veleroNamespace: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  private path(name?: string): string {
    const base = `/apis/velero.io/v1/namespaces/${encodeURIComponent(this.veleroNamespace)}/downloadrequests`;
    return name ? `${base}/${name}` : base;
  }

  static requestName(restoreName: string): string {
    return `${restoreName}-log`.slice(0, 253);
  }

  /** Creates the DownloadRequest (idempotent: its name is the restore's). */
  async request(cache: ClusterCache, restoreName: string): Promise<void> {
    try {
      await requestJson(cache.kubeConfig, this.path(), {
        method: 'POST',
        body: {
          apiVersion: 'velero.io/v1',
          kind: 'DownloadRequest',
          metadata: {
            name: RestoreLogs.requestName(restoreName),
            namespace: this.veleroNamespace,
            labels: { 'velero.io/restore-name': restoreName },
          },
          spec: { target: { kind: 'RestoreLog', name: restoreName } },
        },
      });
    } catch (error: any) {
      if (error.statusCode !== 409) throw error;
    }
  }

  /** Reads the log once Velero has processed the DownloadRequest. */
  async read(cache: ClusterCache, restoreName: string): Promise<RestoreLogResult> {
    const download = await requestJson<any>(
      cache.kubeConfig,
      this.path(RestoreLogs.requestName(restoreName)),
    );
    const url: string | undefined = download.status?.downloadURL;
    if (download.status?.phase !== 'Processed' || !url) {
      return { state: 'pending' };
    }
    let response: Response;
    try {
      response = await this.fetchImpl(url, { signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      return {
        state: 'unavailable',
        reason: `The object store holding the restore log is unreachable: ${(error as Error).message}`,
      };
    }
    if (!response.ok) {
      return {
        state: 'unavailable',
        reason: `The object store answered ${response.status} for the restore log`,
      };
    }
    const compressed = Buffer.from(await response.arrayBuffer());
    const text = (await gunzipAsync(compressed)).toString('utf8');
    const excerpt = text.trimEnd().split('\n').slice(-EXCERPT_LINES).join('\n');
    return { state: 'fetched', excerpt: excerpt.slice(-EXCERPT_BYTES) };
  }
}
