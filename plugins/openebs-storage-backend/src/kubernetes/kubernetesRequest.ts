import { KubeConfig } from '@kubernetes/client-node';
import https from 'https';
import http from 'http';

/** An API server's answer that was not 2xx, with its status code. */
export class KubernetesRequestError extends Error {
  constructor(
    readonly statusCode: number | undefined,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'KubernetesRequestError';
  }
}

export interface KubernetesRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Defaults to JSON; PATCH wants `application/merge-patch+json`. */
  contentType?: string;
  timeoutMs?: number;
  /** A keep-alive agent for bulk callers; by default each call connects anew. */
  agent?: https.Agent;
}

/** GET a JSON document; see {@link requestJson}. */
export function getJson<T>(kubeConfig: KubeConfig, path: string): Promise<T> {
  return requestJson<T>(kubeConfig, path);
}

/**
 * Calls the cluster's API server with the credentials of the KubeConfig
 * (bearer token, CA, TLS settings applied by client-node) and parses the
 * JSON answer.
 *
 * Raw JSON is wanted here rather than client-node's typed calls: watch
 * events arrive raw, and the cache must hold one shape for both.
 */
export async function requestJson<T>(
  kubeConfig: KubeConfig,
  path: string,
  request: KubernetesRequest = {},
): Promise<T> {
  const { method = 'GET', body, timeoutMs = 30_000 } = request;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) {
    throw new KubernetesRequestError(undefined, 'No cluster in KubeConfig');
  }
  const url = new URL(server + path);
  const options: https.RequestOptions = {
    method,
    headers: {
      Accept: 'application/json',
      ...(payload !== undefined && {
        'Content-Type': request.contentType ?? 'application/json',
        'Content-Length': Buffer.byteLength(payload),
      }),
    },
  };
  await kubeConfig.applyToHTTPSOptions(options);
  if (request.agent) options.agent = request.agent;
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise<T>((resolve, reject) => {
    const outgoing = transport.request(url, options, response => {
      const chunks: Buffer[] = [];
      response.on('data', chunk => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          let message = text;
          try {
            message = JSON.parse(text).message ?? text;
          } catch {
            // Not a Status object; keep the raw body.
          }
          reject(new KubernetesRequestError(status, message));
          return;
        }
        try {
          resolve(JSON.parse(text) as T);
        } catch (error) {
          reject(
            new KubernetesRequestError(status, `Invalid JSON from ${path}`),
          );
        }
      });
      response.on('error', reject);
    });
    outgoing.setTimeout(timeoutMs, () => {
      outgoing.destroy(
        new KubernetesRequestError(
          undefined,
          `Timed out after ${timeoutMs} ms`,
          'ETIMEDOUT',
        ),
      );
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error instanceof KubernetesRequestError
          ? error
          : new KubernetesRequestError(undefined, error.message, error.code),
      );
    });
    outgoing.end(payload);
  });
}
