import fs from 'fs';
import https from 'https';
import { resolve as resolvePath } from 'path';
import { isDeepStrictEqual } from 'util';
import { KubeConfig } from '@kubernetes/client-node';
import { kubeConfigFor } from '../kubernetes/clusterConfig';
import { requestJson } from '../kubernetes/kubernetesRequest';

/**
 * The real kube-apiserver started by `lab/scripts/up.sh`. Tests run against
 * it, never against a fake; when it is not running they fail and say how to
 * start it.
 */
export interface LabCluster {
  url: string;
  caData: string;
  adminToken: string;
  backstageToken: string;
}

function readEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) values[match[1]] = match[2].replace(/^['"]|['"]$/g, '');
  }
  return values;
}

export function labCluster(): LabCluster {
  const envFile =
    process.env.OPENEBS_LAB_ENV ??
    resolvePath(__dirname, '../../../../lab/_state/env');
  if (!fs.existsSync(envFile)) {
    throw new Error(
      `No lab cluster: ${envFile} is missing. Start one with lab/scripts/up.sh (scripts/test.sh does this).`,
    );
  }
  const env = { ...readEnvFile(envFile) };
  return {
    url: env.LAB_API_URL,
    caData: env.LAB_CA_DATA,
    adminToken: env.LAB_ADMIN_TOKEN,
    backstageToken: env.LAB_BACKSTAGE_TOKEN,
  };
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export interface LabAdminOptions {
  /** A keep-alive agent, for bulk loads (the benchmark). */
  agent?: https.Agent;
  /** Retries of 429/5xx and connection errors, with backoff. Default 0. */
  retries?: number;
}

/** Writes fixtures with the lab's admin token, statuses included. */
export class LabAdmin {
  private readonly kubeConfig: KubeConfig;
  /** HTTP requests sent, retries included. */
  requests = 0;
  retries = 0;

  constructor(lab: LabCluster, private readonly options: LabAdminOptions = {}) {
    this.kubeConfig = kubeConfigFor({
      name: 'lab-admin',
      url: lab.url,
      caData: lab.caData,
      serviceAccountToken: lab.adminToken,
      skipTLSVerify: false,
    });
  }

  /**
   * Creates an object from a manifest (409 Conflict is fine: cluster-scoped
   * fixtures are shared between test files), then writes its status through
   * the status subresource when the resource has one. An existing object
   * gets the manifest's spec merged in: a lab kept from an earlier run
   * (scripts/test.sh stops its lab but keeps etcd) still holds that run's
   * spec, such as another run's CA in the default storage location.
   */
  async apply(manifest: any): Promise<any> {
    const collection = collectionPath(manifest);
    const { status } = manifest;
    let created: any;
    try {
      created = await this.request('POST', collection, manifest);
    } catch (error: any) {
      if (error.statusCode !== 409) throw error;
      created = await this.get(`${collection}/${manifest.metadata.name}`);
      if (
        manifest.spec &&
        !isDeepStrictEqual({ ...created.spec, ...manifest.spec }, created.spec)
      ) {
        created = await this.request(
          'PATCH',
          `${collection}/${manifest.metadata.name}`,
          { spec: manifest.spec },
          'application/merge-patch+json',
        );
      }
    }
    if (status && !isDeepStrictEqual(created.status, status)) {
      created = await this.writeStatus(
        collection,
        manifest.metadata.name,
        status,
      );
    }
    return created;
  }

  /**
   * Writes status through the status subresource; CRDs without one (Velero's
   * Backup, Restore, BackupStorageLocation) keep status in the main resource.
   */
  private async writeStatus(collection: string, name: string, status: unknown) {
    const patch = (path: string) =>
      this.request('PATCH', path, { status }, 'application/merge-patch+json');
    try {
      return await patch(`${collection}/${name}/status`);
    } catch (error: any) {
      if (error.statusCode !== 404) throw error;
      return patch(`${collection}/${name}`);
    }
  }

  /** One call with the admin token; retried as the options say. */
  async request<T = any>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      this.requests++;
      try {
        return await requestJson<T>(this.kubeConfig, path, {
          method,
          body,
          contentType,
          agent: this.options.agent,
          timeoutMs: 60_000,
        });
      } catch (error: any) {
        const retryable =
          error.statusCode === undefined ||
          RETRYABLE_STATUS.has(error.statusCode);
        if (!retryable || attempt >= (this.options.retries ?? 0)) throw error;
        this.retries++;
        await new Promise(resolve => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
  }

  /** GET that answers undefined for 404. */
  async getOptional<T = any>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (error: any) {
      if (error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** GET with the admin token, e.g. to read what the plugin created. */
  get<T = any>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /**
   * What a restore request could have made in the cluster, limited to one
   * test file's objects (`marker` is in their namespaces' names): jest runs
   * the lab's test files at once, so a whole-cluster listing would see the
   * other files' restores come and go. Restores from those namespaces, their
   * DownloadRequests, and the namespaces named with the marker or listed.
   */
  async footprint(marker: string, namespaces: string[] = []) {
    const items = async (path: string) => (await this.get(path)).items as any[];
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

  async remove(manifest: any): Promise<void> {
    await this.request(
      'DELETE',
      `${collectionPath(manifest)}/${manifest.metadata.name}`,
    ).catch((error: any) => {
      if (error.statusCode !== 404) throw error;
    });
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
  VolumeSnapshot: 'volumesnapshots',
  Backup: 'backups',
  PodVolumeBackup: 'podvolumebackups',
  DataUpload: 'datauploads',
  Schedule: 'schedules',
  BackupStorageLocation: 'backupstoragelocations',
  Restore: 'restores',
  PodVolumeRestore: 'podvolumerestores',
  DownloadRequest: 'downloadrequests',
};

export function collectionPath(manifest: any): string {
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
