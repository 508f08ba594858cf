/*
 * The backend the bench measures: a Backstage test backend serving the real
 * openebs-storage plugin and the real Kubernetes plugin over the given
 * clusters, and a client for it.
 */
import http from 'http';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { EntityStorage } from '@openebs-portal/plugin-openebs-storage-common';
import openebsStoragePlugin from '@openebs-portal/plugin-openebs-storage-backend';
import { DATASET, ENTITIES } from './dataset';

const SYNC_TIMEOUT_MS = 300_000;
export const POLL_MS = 50;

/**
 * One cluster as `kubernetes.clusterLocatorMethods` names it (a type, not an
 * interface, so that it is assignable to the config's JSON type).
 */
export type BenchCluster = {
  name: string;
  url: string;
  authProvider: 'serviceAccount';
  serviceAccountToken: string;
  caData?: string;
};

// ---------------------------------------------------------------------------
// A keep-alive HTTP client for the test backend (one socket: requests are
// sequential, as a user's page load is).

export class Client {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  constructor(private readonly port: number) {}

  request(method: 'GET' | 'POST', urlPath: string, body?: unknown) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path: urlPath,
          agent: this.agent,
          headers: {
            Accept: 'application/json',
            ...(payload !== undefined && {
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(payload),
            }),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async json<T>(
    method: 'GET' | 'POST',
    urlPath: string,
    body?: unknown,
  ): Promise<T> {
    const { status, text } = await this.request(method, urlPath, body);
    if (status !== 200)
      throw new Error(
        `${method} ${urlPath}: HTTP ${status}: ${text.slice(0, 500)}`,
      );
    return JSON.parse(text) as T;
  }

  close() {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------

export const storagePath = (entity: Entity) =>
  `/api/openebs-storage/entities/component/default/${entity.metadata.name}/storage`;

export const customQueryBody = (entity: Entity) => ({
  // The shape KubernetesBackendClient.getCustomObjectsByEntity posts.
  entityRef: stringifyEntityRef(entity),
  auth: {},
  customResources: [
    { group: '', apiVersion: 'v1', plural: 'persistentvolumeclaims' },
  ],
});

/** Every cluster of the answer synced, and cluster 1's volumes all there. */
function complete(body: EntityStorage): boolean {
  const lab0 = body.clusters.find(c => c.cluster === 'lab');
  return (
    body.clusters.every(c => !c.errors.some(e => e.reason === 'not-synced')) &&
    lab0?.volumes.length === DATASET.claimsPerNamespace
  );
}

/** One storage request for the entity; throws unless it answered 200. */
export async function getStorage(client: Client, entity: Entity) {
  const { status } = await client.request('GET', storagePath(entity));
  if (status !== 200) throw new Error(`HTTP ${status}`);
}

/** The Kubernetes plugin's request for the entity's claims (the reference). */
export async function postCustomQuery(client: Client, entity: Entity) {
  const { status } = await client.request(
    'POST',
    '/api/kubernetes/resources/custom/query',
    customQueryBody(entity),
  );
  if (status !== 200) throw new Error(`HTTP ${status}`);
}

/** Starts a backend reading the clusters; stop it with `stop()`. */
export async function startBenchBackend(clusters: BenchCluster[]) {
  const config = {
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [{ type: 'config', clusters }],
    },
  };
  const backend = await startTestBackend({
    features: [
      openebsStoragePlugin,
      kubernetesPlugin,
      mockServices.rootConfig.factory({ data: config }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      catalogServiceMock.factory({ entities: Object.values(ENTITIES) }),
    ],
  });
  const client = new Client(backend.server.port());
  return {
    client,
    async stop() {
      client.close();
      await backend.stop();
    },
  };
}

/**
 * Polls the namespaced entity's answer until it is complete; returns the
 * answer and how many polls it took.
 */
export async function waitUntilComplete(
  client: Client,
  elapsedMs: () => number,
): Promise<{ body: EntityStorage; polls: number }> {
  let polls = 0;
  while (elapsedMs() < SYNC_TIMEOUT_MS) {
    polls++;
    const body = await client.json<EntityStorage>(
      'GET',
      storagePath(ENTITIES.namespaced),
    );
    if (complete(body)) return { body, polls };
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`Not synced after ${SYNC_TIMEOUT_MS} ms`);
}
