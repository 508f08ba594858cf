import { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import http from 'http';
import https from 'https';
import { rootCertificates } from 'tls';
import { promisify } from 'util';
import { gunzip } from 'zlib';
import { veleroCollection } from '../kubernetes/velero';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { requestJson } from '../kubernetes/kubernetesRequest';

const gunzipAsync = promisify(gunzip);

/** How much of the log end is kept: enough for the errors, small in the database. */
const EXCERPT_LINES = 60;
const EXCERPT_BYTES = 16 * 1024;
const DOWNLOAD_TIMEOUT_MS = 30_000;
/** A restore log is small; a larger answer is not one. */
const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;
/** Nor is a log that unpacks to more (a small gzip can unpack to gigabytes). */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;

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
  constructor(private readonly veleroNamespace: string) {}

  private path(name?: string): string {
    const base = veleroCollection(this.veleroNamespace, 'downloadrequests');
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
  async read(
    cache: ClusterCache,
    request: Pick<RestoreRequest, 'restoreName' | 'backupName'>,
  ): Promise<RestoreLogResult> {
    const download = await requestJson<any>(
      cache.kubeConfig,
      this.path(RestoreLogs.requestName(request.restoreName)),
    );
    const url: string | undefined = download.status?.downloadURL;
    if (download.status?.phase !== 'Processed' || !url) {
      return { state: 'pending' };
    }
    let response: DownloadResponse;
    try {
      response = await get(url, storageLocationCa(cache, request.backupName));
    } catch (error) {
      return {
        state: 'unavailable',
        reason: `The object store holding the restore log is unreachable: ${
          (error as Error).message
        }`,
      };
    }
    if (response.status !== 200) {
      return {
        state: 'unavailable',
        reason: `The object store answered ${response.status} for the restore log`,
      };
    }
    let text: string;
    try {
      text = (
        await gunzipAsync(response.body, { maxOutputLength: MAX_LOG_BYTES })
      ).toString('utf8');
    } catch (error) {
      return {
        state: 'unavailable',
        reason: `The restore log could not be unpacked (larger than ${MAX_LOG_BYTES} bytes, or not gzip): ${
          (error as Error).message
        }`,
      };
    }
    const excerpt = text.trimEnd().split('\n').slice(-EXCERPT_LINES).join('\n');
    return { state: 'fetched', excerpt: excerpt.slice(-EXCERPT_BYTES) };
  }
}

/**
 * The CA of the storage location the restore's backup lives in. The
 * pre-signed URL points at that object store, and a private S3 (a lab, an
 * on-premises gateway) is often signed by a CA only the location names.
 */
function storageLocationCa(
  cache: ClusterCache,
  backupName: string,
): string | undefined {
  const [backup] = cache.reflectors.backups.store.byIndex('name', backupName);
  const [location] = cache.reflectors.storageLocations.store.byIndex(
    'name',
    backup?.storageLocation ?? 'default',
  );
  return location?.caCert;
}

type DownloadResponse = { status: number; body: Buffer };

/**
 * GET with the location's CA added to the usual roots, as Velero's own
 * `velero restore logs` does. Node's fetch cannot take a CA per request,
 * hence the core https client.
 */
function get(
  url: string,
  caCert: string | undefined,
): Promise<DownloadResponse> {
  const parsed = new URL(url);
  const client = parsed.protocol === 'https:' ? https : http;
  const ca = caCert ? [...rootCertificates, caCert] : undefined;
  return new Promise((resolve, reject) => {
    const req = client.get(
      parsed,
      { ca, timeout: DOWNLOAD_TIMEOUT_MS },
      res => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_DOWNLOAD_BYTES) {
            req.destroy(
              new Error(`the log is larger than ${MAX_DOWNLOAD_BYTES} bytes`),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(
        new Error(`no answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s`),
      ),
    );
    req.on('error', reject);
  });
}
