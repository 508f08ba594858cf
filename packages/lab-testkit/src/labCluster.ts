import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readEnvFile } from './envFile';

/**
 * The real kube-apiserver started by `lab/scripts/up.sh`. Tests run against
 * it, never against a fake; when it is not running they fail and say how to
 * start it.
 */
export interface LabCluster {
  url: string;
  /** The lab CA's PEM, base64 (a kubeconfig's certificate-authority-data). */
  caData: string;
  adminToken: string;
  backstageToken: string;
}

/** The repository root, where the lab's state directories are (lab/_state*). */
// The kit runs from the source tree only (tests, bench, e2e), never built.
// eslint-disable-next-line no-restricted-syntax
export const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * The env file of the lab to use: `OPENEBS_LAB_ENV` when set (scripts/test.sh,
 * scripts/e2e.sh and scripts/bench.sh set it to the lab they started), else
 * `<defaultState>/env` under the repository.
 */
export function labEnvFile(defaultState = 'lab/_state'): string {
  return (
    process.env.OPENEBS_LAB_ENV ?? path.join(REPO_ROOT, defaultState, 'env')
  );
}

/** The lab whose env file lab/scripts/up.sh wrote (see {@link labEnvFile}). */
export function labCluster(envFile = labEnvFile()): LabCluster {
  if (!fs.existsSync(envFile)) {
    throw new Error(
      `No lab cluster: ${envFile} is missing. Start one with lab/scripts/up.sh (scripts/test.sh, scripts/e2e.sh and scripts/bench.sh start their own).`,
    );
  }
  const env = readEnvFile(envFile);
  const caData =
    env.LAB_CA_DATA ||
    (env.LAB_CA_FILE
      ? fs.readFileSync(env.LAB_CA_FILE).toString('base64')
      : '');
  const lab = {
    url: env.LAB_API_URL,
    caData,
    adminToken: env.LAB_ADMIN_TOKEN,
    backstageToken: env.LAB_BACKSTAGE_TOKEN,
  };
  const missing = Object.entries(lab)
    .filter(([, value]) => !value)
    .map(([key]) => key);
  if (missing.length) {
    throw new Error(`${envFile} lacks the lab's ${missing.join(', ')}`);
  }
  return lab;
}

/**
 * An error of a call to the lab's API server: its status code when it
 * answered, undefined when it could not be reached (`code` says why).
 */
export class KubernetesError extends Error {
  constructor(
    readonly statusCode: number | undefined,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'KubernetesError';
  }
}

/** Whether error is an answer of the API server with this status code. */
function hasStatus(error: unknown, statusCode: number): boolean {
  return error instanceof KubernetesError && error.statusCode === statusCode;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export interface LabAdminOptions {
  /**
   * Connections kept open at once (default: no limit). Bulk loads (the
   * benchmark) bound it; every call reuses a keep-alive connection.
   */
  maxSockets?: number;
  /** Retries of 429/5xx and connection errors, with backoff. Default 0. */
  retries?: number;
  /** Per request. Default 60 s. */
  timeoutMs?: number;
}

/**
 * The lab's API server as its administrator (the lab's admin token): writes
 * fixtures, statuses included, and plays the controllers the lab does not
 * run (Velero in the end-to-end story). Plain HTTPS with the lab's CA over
 * keep-alive connections; {@link LabAdmin.close} ends them.
 */
export class LabAdmin {
  private readonly url: URL;
  private readonly agent: https.Agent;
  /** HTTP requests sent, retries included. */
  requests = 0;
  retries = 0;

  constructor(
    private readonly lab: LabCluster = labCluster(),
    private readonly options: LabAdminOptions = {},
  ) {
    this.url = new URL(lab.url);
    this.agent = new https.Agent({
      ca: Buffer.from(lab.caData, 'base64').toString('utf8'),
      keepAlive: true,
      maxSockets: options.maxSockets ?? Infinity,
    });
  }

  /**
   * Creates an object from a manifest, then writes its status (which a
   * create drops where the resource has a status subresource). Fails with
   * 409 when the object exists: see {@link LabAdmin.apply}.
   */
  async create(manifest: any): Promise<any> {
    const created = await this.request(
      'POST',
      collectionPath(manifest),
      manifest,
    );
    return this.withStatus(manifest, created);
  }

  /**
   * Like {@link LabAdmin.create}, but an existing object is fine
   * (cluster-scoped fixtures are shared between test files): it gets the
   * manifest's spec merged in, then its status. A lab kept from an earlier
   * run (scripts/test.sh stops its lab but keeps etcd) still holds that
   * run's spec, such as another run's CA in the default storage location.
   */
  async apply(manifest: any): Promise<any> {
    try {
      return await this.create(manifest);
    } catch (error) {
      if (!hasStatus(error, 409)) throw error;
    }
    const objectPath = `${collectionPath(manifest)}/${manifest.metadata.name}`;
    let current = await this.get(objectPath);
    if (
      manifest.spec &&
      !isDeepStrictEqual({ ...current.spec, ...manifest.spec }, current.spec)
    ) {
      current = await this.request(
        'PATCH',
        objectPath,
        { spec: manifest.spec },
        'application/merge-patch+json',
      );
    }
    return this.withStatus(manifest, current);
  }

  /** The object with the manifest's status, written when it differs. */
  private async withStatus(manifest: any, current: any): Promise<any> {
    const { status } = manifest;
    return status && !isDeepStrictEqual(current?.status, status)
      ? this.writeStatus(manifest, status)
      : current;
  }

  /**
   * Sets an object's status as its controller would: through the status
   * subresource where the resource has one (claims, volumes, pods,
   * PodVolumeRestores), else in the main resource (Velero's Backup, Restore
   * and BackupStorageLocation have no status subresource).
   */
  async writeStatus(manifest: any, status: unknown): Promise<any> {
    const objectPath = `${collectionPath(manifest)}/${manifest.metadata.name}`;
    const patch = (p: string) =>
      this.request('PATCH', p, { status }, 'application/merge-patch+json');
    try {
      return await patch(`${objectPath}/status`);
    } catch (error) {
      if (!hasStatus(error, 404)) throw error;
      return patch(objectPath);
    }
  }

  /** Deletes the manifest's object; one already gone is fine. */
  async remove(manifest: any): Promise<void> {
    await this.request(
      'DELETE',
      `${collectionPath(manifest)}/${manifest.metadata.name}`,
    ).catch(error => {
      if (!hasStatus(error, 404)) throw error;
    });
  }

  /** One call with the admin token; retried as the options say. */
  async request<T = any>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    apiPath: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      this.requests++;
      try {
        return await this.send<T>(method, apiPath, body, contentType);
      } catch (error) {
        const retryable =
          error instanceof KubernetesError &&
          (error.statusCode === undefined ||
            RETRYABLE_STATUS.has(error.statusCode));
        if (!retryable || attempt >= (this.options.retries ?? 0)) throw error;
        this.retries++;
        await new Promise(resolve => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
  }

  private send<T>(
    method: string,
    apiPath: string,
    body: unknown,
    contentType: string,
  ): Promise<T> {
    const url = new URL(apiPath, this.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const timeoutMs = this.options.timeoutMs ?? 60_000;
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
          let text = '';
          res.setEncoding('utf8');
          res.on('data', chunk => (text += chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              let message = text.slice(0, 500);
              try {
                message = JSON.parse(text).message ?? message;
              } catch {
                // Not a Status object: the raw body.
              }
              reject(
                new KubernetesError(
                  status,
                  `${method} ${apiPath}: ${status} ${message}`,
                ),
              );
              return;
            }
            try {
              resolve(text ? JSON.parse(text) : undefined);
            } catch {
              reject(
                new KubernetesError(
                  status,
                  `${method} ${apiPath}: invalid JSON`,
                ),
              );
            }
          });
        },
      );
      req.setTimeout(timeoutMs, () =>
        req.destroy(
          new KubernetesError(
            undefined,
            `${method} ${apiPath}: timed out after ${timeoutMs} ms`,
            'ETIMEDOUT',
          ),
        ),
      );
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          error instanceof KubernetesError
            ? error
            : new KubernetesError(
                undefined,
                `${method} ${apiPath}: ${error.message}`,
                error.code,
              ),
        ),
      );
      req.end(payload);
    });
  }

  /** GET with the admin token, e.g. to read what the plugin created. */
  get<T = any>(apiPath: string): Promise<T> {
    return this.request<T>('GET', apiPath);
  }

  /** GET that answers undefined for 404. */
  async getOptional<T = any>(apiPath: string): Promise<T | undefined> {
    try {
      return await this.get<T>(apiPath);
    } catch (error) {
      if (hasStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /**
   * What a restore request could have made in the cluster, limited to one
   * test file's objects (`marker` is in their namespaces' names): jest runs
   * the lab's test files at once, so a whole-cluster listing would see the
   * other files' restores come and go. Restores from those namespaces, their
   * DownloadRequests, and the namespaces named with the marker or listed.
   */
  async footprint(marker: string, namespaces: string[] = []) {
    const items = async (p: string) => (await this.get(p)).items as any[];
    const restores = (
      await items('/apis/velero.io/v1/namespaces/velero/restores')
    ).filter(r =>
      (r.spec?.includedNamespaces ?? []).some((n: string) =>
        n.includes(marker),
      ),
    );
    const restoreNames = restores.map(r => r.metadata.name);
    const downloads = (
      await items('/apis/velero.io/v1/namespaces/velero/downloadrequests')
    ).filter(d => restoreNames.includes(d.spec?.target?.name));
    const created = (await items('/api/v1/namespaces')).filter(
      n =>
        n.metadata.name.includes(marker) ||
        namespaces.includes(n.metadata.name),
    );
    const names = (list: any[]) => list.map(i => i.metadata.name).sort();
    return {
      restores: names(restores),
      downloads: names(downloads),
      namespaces: names(created),
    };
  }

  /**
   * Plays the namespace controller the plain lab does not run: empties a
   * Terminating namespace of what tests put there (pods, claims, network
   * policies) and removes its finalizer, so it is gone as on a real cluster.
   */
  async finishNamespaceDeletion(name: string): Promise<void> {
    const namespace = await this.getOptional(`/api/v1/namespaces/${name}`);
    if (!namespace?.metadata.deletionTimestamp) return;
    for (const collection of [
      `/api/v1/namespaces/${name}/pods`,
      `/api/v1/namespaces/${name}/persistentvolumeclaims`,
      `/apis/networking.k8s.io/v1/namespaces/${name}/networkpolicies`,
    ]) {
      await this.request('DELETE', collection);
    }
    await this.request('PUT', `/api/v1/namespaces/${name}/finalize`, {
      ...namespace,
      spec: { finalizers: [] },
    });
  }

  /** The Velero Restores the portal created for a client request id. */
  async restoresOfRequest(requestId: string): Promise<any[]> {
    const selector = encodeURIComponent(
      `openebs-portal.dev/restore-request=${requestId}`,
    );
    const list = await this.get(
      `/apis/velero.io/v1/namespaces/velero/restores?labelSelector=${selector}`,
    );
    return list.items;
  }

  /** Ends the client's keep-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}

const PLURALS: Record<string, string> = {
  Node: 'nodes',
  Namespace: 'namespaces',
  ConfigMap: 'configmaps',
  Pod: 'pods',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  StatefulSet: 'statefulsets',
  PersistentVolume: 'persistentvolumes',
  StorageClass: 'storageclasses',
  VolumeSnapshotClass: 'volumesnapshotclasses',
  VolumeSnapshot: 'volumesnapshots',
  Backup: 'backups',
  PodVolumeBackup: 'podvolumebackups',
  DataUpload: 'datauploads',
  Schedule: 'schedules',
  BackupStorageLocation: 'backupstoragelocations',
  Restore: 'restores',
  PodVolumeRestore: 'podvolumerestores',
  DownloadRequest: 'downloadrequests',
  NetworkPolicy: 'networkpolicies',
  Secret: 'secrets',
  // Flux (lab/scripts/flux.sh)
  GitRepository: 'gitrepositories',
  Kustomization: 'kustomizations',
};

/** The API path of an object's collection, e.g. `/api/v1/namespaces/x/pods`. */
export function collectionPath(manifest: {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string };
}): string {
  const plural = PLURALS[manifest.kind];
  if (!plural) throw new Error(`Unknown kind ${manifest.kind}`);
  const [group, version] = manifest.apiVersion.includes('/')
    ? manifest.apiVersion.split('/')
    : ['', manifest.apiVersion];
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const namespace = manifest.metadata.namespace;
  return namespace
    ? `${base}/namespaces/${namespace}/${plural}`
    : `${base}/${plural}`;
}
