import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import type { StorageBackendOptions } from '../actions/storageBackend';

/**
 * A stand-in for the storage backend on a local port, for the actions that
 * ask it on the user's behalf: what they ask, with whose token, and the
 * answer the test sets. Registers its own jest hooks.
 */
export function storageBackendStandIn() {
  let server: Server;
  let port: number;
  const standIn = {
    asked: [] as IncomingMessage[],
    answer: { status: 200, body: {} as unknown },
    /** Discovery pointing at the stand-in, and the mock auth. */
    options: (): StorageBackendOptions => ({
      discovery: {
        getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
        getExternalBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
      },
      auth: mockServices.auth(),
    }),
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      standIn.asked.push(req);
      res.writeHead(standIn.answer.status, {
        'Content-Type': 'application/json',
      });
      res.end(JSON.stringify(standIn.answer.body));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));
  beforeEach(() => {
    standIn.asked = [];
  });
  return standIn;
}

/** A refusal in the shape Backstage's error handler sends it. */
export function refusal(status: number, name: string, message: string) {
  return {
    status,
    body: { error: { name, message }, response: { statusCode: status } },
  };
}
