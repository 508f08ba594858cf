import { GiteaClient } from './GiteaClient';

const CONFIG = {
  host: 'forge.test',
  baseUrl: 'http://forge.test/',
  username: 'portal',
  password: 'pw-never-in-messages',
};

type Call = { url: string; init: RequestInit };

/** A fetch answering from a table of `METHOD path?query` → [status, body]. */
function fakeFetch(routes: Record<string, [number, unknown]>, calls: Call[]) {
  return (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const key = `${init.method} ${url.replace('http://forge.test/api/v1', '')}`;
    const route = routes[key];
    if (!route) return new Response('no route', { status: 500 });
    const [status, body] = route;
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  }) as unknown as typeof fetch;
}

function pr(n: number, head: string, base = 'main') {
  return {
    number: n,
    html_url: `http://forge.test/o/r/pulls/${n}`,
    state: 'open',
    head: { ref: head },
    base: { ref: base },
  };
}

describe('GiteaClient', () => {
  it("authenticates with the integration's credentials, as basic auth", async () => {
    const calls: Call[] = [];
    const client = new GiteaClient(
      CONFIG,
      fakeFetch({ 'GET /repos/o/r': [200, { default_branch: 'main' }] }, calls),
    );
    await expect(client.getRepository('o', 'r')).resolves.toEqual({
      default_branch: 'main',
    });
    expect(calls[0].url).toBe('http://forge.test/api/v1/repos/o/r');
    expect(
      (calls[0].init.headers as Record<string, string>).Authorization,
    ).toBe(
      `basic ${Buffer.from('portal:pw-never-in-messages').toString('base64')}`,
    );
  });

  it('finds an open pull request on a later page', async () => {
    const calls: Call[] = [];
    const page1 = Array.from({ length: 50 }, (_, i) => pr(i + 1, `other-${i}`));
    const client = new GiteaClient(
      CONFIG,
      fakeFetch(
        {
          'GET /repos/o/r/pulls?state=open&limit=50&page=1': [200, page1],
          'GET /repos/o/r/pulls?state=open&limit=50&page=2': [
            200,
            [pr(77, 'mine', 'develop'), pr(78, 'mine')],
          ],
        },
        calls,
      ),
    );
    // Same head into another base is not it.
    await expect(
      client.findOpenPullRequest('o', 'r', 'mine', 'main'),
    ).resolves.toMatchObject({ number: 78 });
    expect(calls).toHaveLength(2);
    await expect(
      client.findOpenPullRequest('o', 'r', 'absent', 'main'),
    ).resolves.toBeUndefined();
  });

  it("maps Gitea's answers to Backstage errors, with its message", async () => {
    const calls: Call[] = [];
    const client = new GiteaClient(
      CONFIG,
      fakeFetch(
        {
          'POST /repos/o/r/pulls': [
            409,
            { message: 'pull request already exists for these targets' },
          ],
          'GET /repos/o/gone': [404, { message: 'not found' }],
          'GET /repos/o/locked/branches/b': [401, { message: 'unauthorized' }],
        },
        calls,
      ),
    );
    const conflict = client.createPullRequest('o', 'r', {
      head: 'b',
      base: 'main',
      title: 't',
    });
    await expect(conflict).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Gitea POST /repos/o/r/pulls answered 409: pull request already exists for these targets',
    });
    await expect(client.getRepository('o', 'gone')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    const denied = client.branchExists('o', 'locked', 'b');
    await expect(denied).rejects.toMatchObject({
      name: 'AuthenticationError',
      message:
        'Gitea GET /repos/o/locked/branches/b answered 401: unauthorized (check integrations.gitea credentials for forge.test)',
    });
  });

  it('treats a missing branch as an answer, not an error', async () => {
    const client = new GiteaClient(
      CONFIG,
      fakeFetch(
        {
          'GET /repos/o/r/branches/new': [404, { message: 'not found' }],
          'GET /repos/o/r/branches/old': [200, { name: 'old' }],
        },
        [],
      ),
    );
    await expect(client.branchExists('o', 'r', 'new')).resolves.toBe(false);
    await expect(client.branchExists('o', 'r', 'old')).resolves.toBe(true);
  });

  it('names the request, never the credentials, when the forge is unreachable', async () => {
    const client = new GiteaClient(CONFIG, (async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:3300');
    }) as unknown as typeof fetch);
    const attempt = client.getRepository('o', 'r');
    await expect(attempt).rejects.toThrow(
      'Gitea GET http://forge.test/api/v1/repos/o/r failed: connect ECONNREFUSED 127.0.0.1:3300',
    );
    await expect(attempt).rejects.not.toThrow('pw-never-in-messages');
  });
});
