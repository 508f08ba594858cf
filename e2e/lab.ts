/*
 * The lab cluster's Kubernetes API, for the end-to-end story to play the
 * parts no browser plays: Velero restoring data (there is no Velero in this
 * lab, only its CRDs). Plain HTTPS with the lab's CA and admin token, read
 * from the env file scripts/e2e.sh's lab wrote (lab/_state-e2e/env).
 */
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';

interface LabEnv {
  url: URL;
  ca: string;
  token: string;
}

function readLabEnv(): LabEnv {
  const file =
    process.env.OPENEBS_LAB_ENV ??
    path.resolve(__dirname, '../lab/_state-e2e/env');
  if (!fs.existsSync(file)) {
    throw new Error(
      `No lab cluster: ${file} is missing. Run the story with scripts/e2e.sh.`,
    );
  }
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]] = match[2].replace(/^['"]|['"]$/g, '');
  }
  const ca = env.LAB_CA_FILE
    ? fs.readFileSync(env.LAB_CA_FILE, 'utf8')
    : Buffer.from(env.LAB_CA_DATA ?? '', 'base64').toString('utf8');
  if (!env.LAB_API_URL || !ca || !env.LAB_ADMIN_TOKEN) {
    throw new Error(
      `${file} lacks LAB_API_URL, LAB_CA_FILE/LAB_CA_DATA or LAB_ADMIN_TOKEN`,
    );
  }
  return { url: new URL(env.LAB_API_URL), ca, token: env.LAB_ADMIN_TOKEN };
}

/** An error answer of the API server, with its status code. */
export class KubernetesError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

/** Collections of the kinds the story writes. */
const COLLECTIONS: Record<string, [base: string, plural: string]> = {
  Namespace: ['/api/v1', 'namespaces'],
  PersistentVolume: ['/api/v1', 'persistentvolumes'],
  PersistentVolumeClaim: ['/api/v1', 'persistentvolumeclaims'],
  Pod: ['/api/v1', 'pods'],
  Restore: ['/apis/velero.io/v1', 'restores'],
  PodVolumeRestore: ['/apis/velero.io/v1', 'podvolumerestores'],
};

/** The API path of an object's collection, e.g. `/api/v1/namespaces/x/pods`. */
export function collectionPath(manifest: {
  kind: string;
  metadata: { namespace?: string };
}): string {
  const collection = COLLECTIONS[manifest.kind];
  if (!collection)
    throw new Error(`lab.ts does not know kind ${manifest.kind}`);
  const [base, plural] = collection;
  const { namespace } = manifest.metadata;
  return namespace
    ? `${base}/namespaces/${namespace}/${plural}`
    : `${base}/${plural}`;
}

/** The lab's API server, as its administrator. */
export class Lab {
  private readonly env = readLabEnv();
  private readonly agent = new https.Agent({
    ca: this.env.ca,
    keepAlive: true,
  });

  request<T = any>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    apiPath: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const url = new URL(apiPath, this.env.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent: this.agent,
          timeout: 30_000,
          headers: {
            Authorization: `Bearer ${this.env.token}`,
            Accept: 'application/json',
            ...(payload && {
              'Content-Type': contentType,
              'Content-Length': Buffer.byteLength(payload),
            }),
          },
        },
        res => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', chunk => (text += chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              resolve(text ? JSON.parse(text) : undefined);
            } else {
              reject(
                new KubernetesError(
                  status,
                  `${method} ${apiPath}: ${status} ${text.slice(0, 500)}`,
                ),
              );
            }
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${apiPath}: timed out`)),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  get<T = any>(apiPath: string): Promise<T> {
    return this.request<T>('GET', apiPath);
  }

  /**
   * Sets an object's status as its controller would: through the status
   * subresource where the resource has one (claims, volumes, pods,
   * PodVolumeRestores), else in the main resource (Velero's Restore has no
   * status subresource).
   */
  async writeStatus(manifest: any, status: unknown): Promise<any> {
    const objectPath = `${collectionPath(manifest)}/${manifest.metadata.name}`;
    const patch = (p: string) =>
      this.request('PATCH', p, { status }, 'application/merge-patch+json');
    try {
      return await patch(`${objectPath}/status`);
    } catch (error) {
      if (!(error instanceof KubernetesError) || error.statusCode !== 404) {
        throw error;
      }
      return patch(objectPath);
    }
  }

  /** Creates an object, then writes its status (which a create drops). */
  async create(manifest: any): Promise<any> {
    const { status, ...spec } = manifest;
    const created = await this.request('POST', collectionPath(manifest), spec);
    return status ? this.writeStatus(manifest, status) : created;
  }

  async delete(manifest: any): Promise<void> {
    await this.request(
      'DELETE',
      `${collectionPath(manifest)}/${manifest.metadata.name}`,
    ).catch(error => {
      if (!(error instanceof KubernetesError) || error.statusCode !== 404) {
        throw error;
      }
    });
  }

  close() {
    this.agent.destroy();
  }
}
