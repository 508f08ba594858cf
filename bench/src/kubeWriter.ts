import https from 'https';
import { isDeepStrictEqual } from 'util';
import { LabCluster } from '../../plugins/openebs-storage-backend/src/__testUtils__/labCluster';

/*
 * Bulk writes to the lab apiserver with the admin token.
 *
 * Same semantics as the plugin's LabAdmin.apply (create, 409 = already there,
 * then write the status through the status subresource, or the main resource
 * for CRDs without one), but over a keep-alive connection pool. LabAdmin goes
 * through client-node's applyToHTTPSOptions, which builds a new https.Agent
 * (so a new TLS handshake) for every call: fine for a test's dozen fixtures,
 * a few minutes of handshakes for the ~80,000 requests of this dataset.
 */

export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

const PLURALS: Record<string, string> = {
  Namespace: 'namespaces',
  ConfigMap: 'configmaps',
  Pod: 'pods',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  PersistentVolume: 'persistentvolumes',
  StorageClass: 'storageclasses',
  VolumeSnapshotClass: 'volumesnapshotclasses',
  Backup: 'backups',
  PodVolumeBackup: 'podvolumebackups',
  Schedule: 'schedules',
  BackupStorageLocation: 'backupstoragelocations',
};

export function collectionPath(manifest: any): string {
  const plural = PLURALS[manifest.kind];
  if (!plural) throw new Error(`Unknown kind ${manifest.kind}`);
  const [group, version] = manifest.apiVersion.includes('/')
    ? manifest.apiVersion.split('/')
    : ['', manifest.apiVersion];
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const ns = manifest.metadata.namespace;
  return ns ? `${base}/namespaces/${ns}/${plural}` : `${base}/${plural}`;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export class KubeWriter {
  private readonly agent: https.Agent;
  /** HTTP requests sent, retries included. */
  requests = 0;
  retries = 0;

  constructor(private readonly lab: LabCluster, maxSockets: number) {
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets,
      ca: Buffer.from(lab.caData, 'base64'),
    });
  }

  close(): void {
    this.agent.destroy();
  }

  /** One request; retries connection errors and 429/5xx a few times. */
  async request<T = any>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, body, contentType);
      } catch (error: any) {
        const retryable =
          error instanceof HttpError
            ? RETRYABLE_STATUS.has(error.statusCode)
            : true;
        if (!retryable || attempt >= 5) throw error;
        this.retries++;
        await sleep(200 * 2 ** attempt);
      }
    }
  }

  private once<T>(
    method: string,
    path: string,
    body: unknown,
    contentType: string,
  ): Promise<T> {
    this.requests++;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const url = new URL(this.lab.url + path);
    return new Promise<T>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.lab.adminToken}`,
            Accept: 'application/json',
            ...(payload !== undefined && {
              'Content-Type': contentType,
              'Content-Length': Buffer.byteLength(payload),
            }),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              let message = text;
              try {
                message = JSON.parse(text).message ?? text;
              } catch {
                // not a Status object
              }
              reject(
                new HttpError(
                  status,
                  `${method} ${path}: HTTP ${status}: ${message}`,
                ),
              );
              return;
            }
            try {
              resolve((text ? JSON.parse(text) : undefined) as T);
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.setTimeout(60_000, () =>
        req.destroy(new Error(`${method} ${path}: timed out`)),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** GET that answers undefined for 404. */
  async get<T = any>(path: string): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', path);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 404)
        return undefined;
      throw error;
    }
  }

  /**
   * Creates an object (an existing one is kept: loads are resumable), then
   * writes its status when the stored one differs. Returns the stored object.
   */
  async apply(manifest: any): Promise<any> {
    const collection = collectionPath(manifest);
    const { status } = manifest;
    let stored: any;
    try {
      stored = await this.request('POST', collection, manifest);
    } catch (error) {
      if (!(error instanceof HttpError && error.statusCode === 409))
        throw error;
      stored = await this.request(
        'GET',
        `${collection}/${manifest.metadata.name}`,
      );
    }
    if (status && !isDeepStrictEqual(stored.status, status)) {
      const patch = (path: string) =>
        this.request('PATCH', path, { status }, 'application/merge-patch+json');
      const name = manifest.metadata.name;
      try {
        stored = await patch(`${collection}/${name}/status`);
      } catch (error) {
        // CRDs without a status subresource (Velero's Backup) keep it inline.
        if (!(error instanceof HttpError && error.statusCode === 404))
          throw error;
        stored = await patch(`${collection}/${name}`);
      }
    }
    return stored;
  }
}

/** Runs fn over items with at most `concurrency` in flight, in order of start. */
export async function forEachBounded<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index], index);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, worker),
  );
}
