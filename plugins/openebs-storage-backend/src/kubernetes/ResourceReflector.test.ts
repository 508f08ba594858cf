import { LoggerService } from '@backstage/backend-plugin-api';
import http, { IncomingMessage, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { kubeConfigFor } from './clusterConfig';
import { resourceKinds } from './resources';
import { ResourceKind, ResourceReflector } from './ResourceReflector';

/*
 * The reflector against a small fake API server on 127.0.0.1: lists with
 * limit/continue, watch streams of newline-delimited events, and whatever
 * failure a test asks for. No lab cluster is needed.
 */

interface Thing {
  uid: string;
  name: string;
  colour: string;
}

const things: ResourceKind<Thing> = {
  label: 'example.com/v1 things',
  path: '/apis/example.com/v1/things',
  project: raw => ({
    uid: raw.metadata.uid,
    name: raw.metadata.name,
    colour: raw.spec?.colour ?? 'none',
  }),
  indexes: { colour: t => [t.colour], name: t => [t.name] },
};

const thing = (name: string, colour: string, resourceVersion = '1') => ({
  apiVersion: 'example.com/v1',
  kind: 'Thing',
  metadata: { uid: `uid-${name}`, name, resourceVersion },
  spec: { colour },
});

const list = (items: unknown[], resourceVersion: string, next?: string) => ({
  apiVersion: 'example.com/v1',
  kind: 'ThingList',
  metadata: { resourceVersion, ...(next && { continue: next }) },
  items,
});

const status = (code: number, message: string, reason = 'Failure') => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message,
  reason,
  code,
});

interface Answer {
  status?: number;
  body: unknown;
}

interface WatchStream {
  url: URL;
  res: ServerResponse;
  /** The client went away (stop(), or an abort). */
  closed: boolean;
}

/** Serves one collection; tests say how it answers lists and watches. */
class FakeKubeApi {
  readonly lists: URL[] = [];
  readonly listTimes: number[] = [];
  readonly watches: WatchStream[] = [];
  /** Answers the n-th list request (1-based). */
  onList: (url: URL, n: number) => Answer = () => ({ body: list([], '1') });
  /**
   * Answers the n-th watch request (1-based); by default the stream opens
   * and stays open until a test writes to it or ends it.
   */
  onWatch: (stream: WatchStream, n: number) => Answer | void = () => {};
  private readonly server = http.createServer((req, res) =>
    this.handle(req, res),
  );

  async start(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }

  /** The latest watch stream. */
  get stream(): WatchStream {
    const stream = this.watches[this.watches.length - 1];
    if (!stream) throw new Error('No watch request yet');
    return stream;
  }

  send(type: string, object: unknown) {
    this.stream.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  /** Ends the stream as the server does at timeoutSeconds. */
  endWatch() {
    this.stream.res.end();
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.searchParams.get('watch') === 'true') {
      const stream: WatchStream = { url, res, closed: false };
      this.watches.push(stream);
      req.on('close', () => {
        stream.closed = true;
      });
      const answer = this.onWatch(stream, this.watches.length);
      if (answer) {
        this.answer(res, answer);
      } else if (!res.headersSent) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.flushHeaders();
      }
      return;
    }
    this.lists.push(url);
    this.listTimes.push(Date.now());
    this.answer(res, this.onList(url, this.lists.length));
  }

  private answer(res: ServerResponse, answer: Answer) {
    res.writeHead(answer.status ?? 200, {
      'Content-Type': 'application/json',
    });
    res.end(JSON.stringify(answer.body));
  }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Polls until the condition holds; fails with what it waited for. */
async function waitFor(
  what: string,
  condition: () => boolean,
  timeoutMs = 2_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(5);
  }
}

function testLogger() {
  const logger = {
    warn: jest.fn(),
    info: jest.fn(),
    error: jest.fn(),
    debug: jest.fn(),
    child: () => logger,
  };
  return logger;
}

const RETRY_MS = 20;

describe('ResourceReflector', () => {
  let api: FakeKubeApi;
  let logger: ReturnType<typeof testLogger>;
  const reflectors: ResourceReflector<any>[] = [];

  function reflectorFor<T>(kind: ResourceKind<T>, port: number) {
    const reflector = new ResourceReflector(
      kubeConfigFor({
        name: 'fake',
        url: `http://127.0.0.1:${port}`,
        skipTLSVerify: true,
      }),
      kind,
      logger as unknown as LoggerService,
      RETRY_MS,
    );
    reflectors.push(reflector);
    return reflector;
  }

  const contents = (reflector: ResourceReflector<Thing>) =>
    Array.from(reflector.store.values())
      .map(t => `${t.name}:${t.colour}`)
      .sort();

  beforeEach(() => {
    api = new FakeKubeApi();
    logger = testLogger();
  });

  afterEach(async () => {
    for (const reflector of reflectors.splice(0)) reflector.stop();
    await api.close();
  });

  it('lists page by page, then follows the watch from the list', async () => {
    api.onList = url =>
      url.searchParams.get('continue') === 'page-2'
        ? { body: list([thing('c', 'red')], '10') }
        : {
            body: list([thing('a', 'red'), thing('b', 'blue')], '10', 'page-2'),
          };
    const reflector = reflectorFor(things, await api.start());

    expect(reflector.status).toEqual({ synced: false, error: undefined });
    await reflector.start();

    expect(reflector.status).toEqual({ synced: true });
    expect(reflector.label).toBe('example.com/v1 things');
    expect(api.lists.map(u => Object.fromEntries(u.searchParams))).toEqual([
      { limit: '500' },
      { limit: '500', continue: 'page-2' },
    ]);
    expect(contents(reflector)).toEqual(['a:red', 'b:blue', 'c:red']);
    expect(reflector.store.byIndex('colour', 'red').map(t => t.name)).toEqual([
      'a',
      'c',
    ]);

    await waitFor('a watch', () => api.watches.length === 1);
    expect(api.stream.url.pathname).toBe(things.path);
    expect(Object.fromEntries(api.stream.url.searchParams)).toEqual({
      watch: 'true',
      resourceVersion: '10',
      allowWatchBookmarks: 'true',
      timeoutSeconds: '300',
    });

    api.send('ADDED', thing('d', 'green', '11'));
    api.send('MODIFIED', thing('a', 'blue', '12'));
    api.send('DELETED', thing('b', 'blue', '13'));
    api.send('BOOKMARK', {
      kind: 'Thing',
      apiVersion: 'example.com/v1',
      metadata: { resourceVersion: '14' },
    });
    // Events apply in order: once b is deleted, d and a's change are in.
    await waitFor('the events', () => !reflector.store.get('uid-b'));
    expect(contents(reflector)).toEqual(['a:blue', 'c:red', 'd:green']);
    expect(reflector.store.byIndex('colour', 'red').map(t => t.name)).toEqual([
      'c',
    ]);
    expect(
      reflector.store
        .byIndex('colour', 'blue')
        .map(t => t.name)
        .sort(),
    ).toEqual(['a']);
    expect(reflector.store.byIndex('name', 'b')).toEqual([]);

    // The server ends a watch at timeoutSeconds: the reflector watches
    // again from the last resourceVersion seen (the bookmark's), no relist.
    api.endWatch();
    await waitFor('a second watch', () => api.watches.length === 2);
    expect(api.stream.url.searchParams.get('resourceVersion')).toBe('14');
    expect(api.lists).toHaveLength(2);
    expect(reflector.status).toEqual({ synced: true });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('keeps only the objects its kind keeps, in the list and the watch', async () => {
    const colourful: ResourceKind<Thing> = {
      ...things,
      keep: raw => raw.spec?.colour !== 'none',
    };
    api.onList = () => ({
      body: list([thing('a', 'red'), thing('b', 'none')], '10'),
    });
    const reflector = reflectorFor(colourful, await api.start());
    await reflector.start();
    expect(contents(reflector)).toEqual(['a:red']);
    await waitFor('a watch', () => api.watches.length === 1);

    api.send('ADDED', thing('c', 'none', '11'));
    api.send('MODIFIED', thing('b', 'green', '12'));
    // An object that stops being kept leaves the store and its indexes.
    api.send('MODIFIED', thing('a', 'none', '13'));
    await waitFor('the events', () => !reflector.store.get('uid-a'));
    expect(contents(reflector)).toEqual(['b:green']);
    expect(reflector.store.byIndex('colour', 'red')).toEqual([]);
    expect(reflector.store.byIndex('colour', 'none')).toEqual([]);
  });

  it('relists at once when the watch reports 410 Gone in an ERROR event', async () => {
    api.onList = (_url, n) =>
      n === 1
        ? { body: list([thing('a', 'red'), thing('b', 'blue')], '10') }
        : { body: list([thing('a', 'green'), thing('e', 'red')], '20') };
    const reflector = reflectorFor(things, await api.start());
    await reflector.start();
    await waitFor('a watch', () => api.watches.length === 1);
    api.send('ADDED', thing('c', 'red', '11'));
    await waitFor('c', () => reflector.store.size === 3);

    api.send(
      'ERROR',
      status(410, 'too old resource version: 10 (15)', 'Expired'),
    );
    api.endWatch();

    await waitFor('a relist', () => api.lists.length === 2);
    await waitFor('a watch after the relist', () => api.watches.length === 2);
    // The store is the new list: what it no longer has is gone.
    expect(contents(reflector)).toEqual(['a:green', 'e:red']);
    expect(reflector.store.byIndex('colour', 'blue')).toEqual([]);
    expect(reflector.store.get('uid-c')).toBeUndefined();
    expect(api.stream.url.searchParams.get('resourceVersion')).toBe('20');
    expect(reflector.status).toEqual({ synced: true });
    // An expired watch is routine, not a failure to report.
    expect(logger.warn).not.toHaveBeenCalled();
    // Relisting after 410 does not wait for the retry delay.
    expect(api.listTimes[1] - api.listTimes[0]).toBeLessThan(1_000);
  });

  it('relists when the watch request itself is answered 410 Gone', async () => {
    api.onList = (_url, n) =>
      n === 1
        ? { body: list([thing('a', 'red'), thing('b', 'blue')], '10') }
        : { body: list([thing('f', 'blue')], '30') };
    api.onWatch = (_stream, n) =>
      n === 1
        ? { status: 410, body: status(410, 'too old resource version', 'Gone') }
        : undefined;
    const reflector = reflectorFor(things, await api.start());
    await reflector.start();

    await waitFor('a relist', () => api.lists.length === 2);
    await waitFor('a watch after the relist', () => api.watches.length === 2);
    expect(contents(reflector)).toEqual(['f:blue']);
    expect(api.stream.url.searchParams.get('resourceVersion')).toBe('30');
    await waitFor('a clear status', () => !reflector.status.error);
    expect(reflector.status).toEqual({ synced: true });
    // Routine, as in an ERROR event: no failure reported on the way.
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('takes an optional kind whose list answers 404 as none, and looks again', async () => {
    const { snapshots } = resourceKinds('velero');
    const snapshot = {
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshot',
      metadata: { uid: 'uid-snap', namespace: 'shop', name: 'snap-1' },
      spec: { source: { persistentVolumeClaimName: 'data-db-0' } },
      status: { readyToUse: true },
    };
    let installed = false;
    api.onList = url => {
      expect(url.pathname).toBe(snapshots.path);
      return installed
        ? { body: list([snapshot], '5') }
        : {
            status: 404,
            body: status(
              404,
              'the server could not find the requested resource',
              'NotFound',
            ),
          };
    };
    const reflector = reflectorFor(snapshots, await api.start());

    await reflector.start();
    expect(reflector.status).toEqual({ synced: true });
    expect(reflector.store.size).toBe(0);
    expect(logger.warn).not.toHaveBeenCalled();

    // The CRD may be installed later: the reflector keeps asking.
    await waitFor('a second list', () => api.lists.length >= 2);
    expect(reflector.status).toEqual({ synced: true });
    installed = true;
    await waitFor('the snapshot', () => reflector.store.size === 1);
    expect(reflector.store.byIndex('claim', 'shop/data-db-0')).toEqual([
      expect.objectContaining({ name: 'snap-1', readyToUse: true }),
    ]);
    expect(reflector.status).toEqual({ synced: true });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('empties an optional kind whose CRD goes away while watched', async () => {
    const { snapshots } = resourceKinds('velero');
    api.onList = () => ({
      body: list(
        [
          {
            metadata: { uid: 'uid-snap', namespace: 'shop', name: 'snap-1' },
            spec: { source: { persistentVolumeClaimName: 'data-db-0' } },
          },
        ],
        '5',
      ),
    });
    api.onWatch = (_stream, n) =>
      n === 1
        ? undefined
        : {
            status: 404,
            body: status(
              404,
              'the server could not find the requested resource',
              'NotFound',
            ),
          };
    const reflector = reflectorFor(snapshots, await api.start());
    await reflector.start();
    expect(reflector.store.size).toBe(1);
    await waitFor('a watch', () => api.watches.length === 1);

    // Deleting a CRD ends its watches; the next watch finds no resource.
    api.onList = () => ({
      status: 404,
      body: status(
        404,
        'the server could not find the requested resource',
        'NotFound',
      ),
    });
    api.endWatch();
    await waitFor('an empty store', () => reflector.store.size === 0);
    expect(reflector.status).toEqual({ synced: true });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('reports a 404 of a kind that is not optional as an error', async () => {
    api.onList = () => ({
      status: 404,
      body: status(
        404,
        'the server could not find the requested resource',
        'NotFound',
      ),
    });
    const reflector = reflectorFor(things, await api.start());
    await reflector.start();
    expect(reflector.status).toEqual({
      synced: false,
      error: {
        reason: 'error',
        message: 'the server could not find the requested resource',
        resource: 'example.com/v1 things',
      },
    });
  });

  it('reports a failing server, retries with growing delays, and recovers', async () => {
    api.onList = (_url, n) =>
      n <= 3
        ? { status: 500, body: status(500, 'etcdserver: request timed out') }
        : { body: list([thing('a', 'red')], '7') };
    const reflector = reflectorFor(things, await api.start());

    await reflector.start();
    expect(reflector.status).toEqual({
      synced: false,
      error: {
        reason: 'error',
        message: 'etcdserver: request timed out',
        resource: 'example.com/v1 things',
      },
    });
    expect(reflector.store.size).toBe(0);
    expect(logger.warn).toHaveBeenCalledWith(
      'Cannot read example.com/v1 things: etcdserver: request timed out',
    );

    await waitFor('the store to fill', () => reflector.store.size === 1);
    expect(reflector.status).toEqual({ synced: true });
    expect(api.lists).toHaveLength(4);
    // Backoff: RETRY_MS, then twice, then four times as long.
    const gaps = api.listTimes.slice(1).map((t, i) => t - api.listTimes[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(RETRY_MS - 2);
    expect(gaps[1]).toBeGreaterThanOrEqual(2 * RETRY_MS - 2);
    expect(gaps[2]).toBeGreaterThanOrEqual(4 * RETRY_MS - 2);
  });

  it.each([
    [401, 'forbidden'],
    [403, 'forbidden'],
    [503, 'error'],
  ])('classifies a list answered %i as %s', async (code, reason) => {
    api.onList = () => ({ status: code, body: status(code, `answer ${code}`) });
    const reflector = reflectorFor(things, await api.start());
    await reflector.start();
    expect(reflector.status.error).toEqual({
      reason,
      message: `answer ${code}`,
      resource: 'example.com/v1 things',
    });
    await waitFor('a retry', () => api.lists.length >= 2);
  });

  it('keeps the store but reports an error when a watch fails, then relists', async () => {
    api.onList = (_url, n) =>
      n === 1
        ? { body: list([thing('a', 'red')], '10') }
        : { body: list([thing('a', 'red'), thing('b', 'red')], '40') };
    const reflector = reflectorFor(things, await api.start());
    await reflector.start();
    await waitFor('a watch', () => api.watches.length === 1);

    api.send('ERROR', status(500, 'internal error'));
    api.endWatch();
    await waitFor('an error', () => reflector.status.error !== undefined);
    expect(reflector.status).toEqual({
      synced: true,
      error: {
        reason: 'error',
        message: 'internal error',
        resource: 'example.com/v1 things',
      },
    });
    expect(contents(reflector)).toEqual(['a:red']);

    await waitFor('a relist', () => reflector.store.size === 2);
    await waitFor('a clear status', () => !reflector.status.error);
    expect(reflector.status).toEqual({ synced: true });
  });

  it('reports an unreachable server and fills the store once it is up', async () => {
    const probe = new FakeKubeApi();
    const port = await probe.start();
    await probe.close();
    const reflector = reflectorFor(things, port);

    await reflector.start();
    expect(reflector.status).toEqual({
      synced: false,
      error: expect.objectContaining({
        reason: 'unreachable',
        resource: 'example.com/v1 things',
      }),
    });
    expect(reflector.status.error?.message).toMatch(/ECONNREFUSED/);

    api.onList = () => ({ body: list([thing('a', 'red')], '3') });
    await api.start(port);
    await waitFor('the store to fill', () => reflector.store.size === 1);
    expect(reflector.status).toEqual({ synced: true });
    expect(api.lists.length).toBeGreaterThanOrEqual(1);
  });

  it('stops watching: the watch is closed and nothing more is asked', async () => {
    api.onList = () => ({ body: list([thing('a', 'red')], '3') });
    const reflector = reflectorFor(things, await api.start());
    await reflector.start();
    await waitFor('a watch', () => api.watches.length === 1);
    // Only once an event has arrived is the watch surely established on the
    // reflector's side: a stop() while the watch request still awaits its
    // response headers does not abort it (the controller is not known yet).
    api.send('ADDED', thing('b', 'blue', '4'));
    await waitFor('the event', () => reflector.store.size === 2);

    reflector.stop();
    await waitFor('the watch to close', () => api.stream.closed);
    await sleep(5 * RETRY_MS);
    expect(api.lists).toHaveLength(1);
    expect(api.watches).toHaveLength(1);
  });

  it('stops a watch that is still connecting: it closes, and nothing it sends counts', async () => {
    api.onList = () => ({ body: list([thing('a', 'red')], '3') });
    const reflector = reflectorFor(things, await api.start());
    await reflector.start();
    await waitFor('a watch', () => api.watches.length === 1);
    reflector.stop();
    await waitFor('the watch to close', () => api.stream.closed);
    api.send('ADDED', thing('b', 'blue', '4'));
    await sleep(5 * RETRY_MS);
    expect(contents(reflector)).toEqual(['a:red']);
    expect(api.watches).toHaveLength(1);
  });

  it('stops retrying a failing server', async () => {
    api.onList = () => ({ status: 500, body: status(500, 'down') });
    const reflector = reflectorFor(things, await api.start());
    await reflector.start();
    reflector.stop();
    const asked = api.lists.length;
    await sleep(10 * RETRY_MS);
    expect(api.lists).toHaveLength(asked);
  });
});
