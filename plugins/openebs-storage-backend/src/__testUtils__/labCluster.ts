import fs from 'fs';
import path from 'path';
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
    path.resolve(__dirname, '../../../../lab/_state/env');
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

/** Writes fixtures with the lab's admin token, statuses included. */
export class LabAdmin {
  private readonly kubeConfig: KubeConfig;

  constructor(lab: LabCluster) {
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
   * the status subresource when the resource has one.
   */
  async apply(manifest: any): Promise<any> {
    const collection = collectionPath(manifest);
    const { status } = manifest;
    let created: any;
    try {
      created = await requestJson<any>(this.kubeConfig, collection, {
        method: 'POST',
        body: manifest,
      });
    } catch (error: any) {
      if (error.statusCode !== 409) throw error;
      created = await requestJson<any>(
        this.kubeConfig,
        `${collection}/${manifest.metadata.name}`,
      );
    }
    if (status && !isDeepStrictEqual(created.status, status)) {
      created = await this.writeStatus(collection, manifest.metadata.name, status);
    }
    return created;
  }

  /**
   * Writes status through the status subresource; CRDs without one (Velero's
   * Backup, Restore, BackupStorageLocation) keep status in the main resource.
   */
  private async writeStatus(collection: string, name: string, status: unknown) {
    const patch = {
      method: 'PATCH' as const,
      body: { status },
      contentType: 'application/merge-patch+json',
    };
    try {
      return await requestJson<any>(this.kubeConfig, `${collection}/${name}/status`, patch);
    } catch (error: any) {
      if (error.statusCode !== 404) throw error;
      return requestJson<any>(this.kubeConfig, `${collection}/${name}`, patch);
    }
  }

  /** GET with the admin token, e.g. to read what the plugin created. */
  get<T = any>(path: string): Promise<T> {
    return requestJson<T>(this.kubeConfig, path);
  }

  /** The Velero Restores the portal created for a client request id. */
  async restoresOfRequest(requestId: string): Promise<any[]> {
    const selector = encodeURIComponent(`openebs-portal.dev/restore-request=${requestId}`);
    const list = await this.get(
      `/apis/velero.io/v1/namespaces/velero/restores?labelSelector=${selector}`,
    );
    return list.items;
  }

  async remove(manifest: any): Promise<void> {
    await requestJson(
      this.kubeConfig,
      `${collectionPath(manifest)}/${manifest.metadata.name}`,
      { method: 'DELETE' },
    ).catch((error: any) => {
      if (error.statusCode !== 404) throw error;
    });
  }
}

const PLURALS: Record<string, string> = {
  Namespace: 'namespaces',
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
};

function collectionPath(manifest: any): string {
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
