import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  getGiteaRequestOptions,
  type GiteaIntegrationConfig,
} from '@backstage/integration';

/** The parts of Gitea's repository object this module reads. */
export type GiteaRepository = {
  default_branch: string;
  html_url: string;
  clone_url: string;
  empty?: boolean;
  archived?: boolean;
};

/** The parts of Gitea's pull request object this module reads. */
export type GiteaPullRequest = {
  number: number;
  html_url: string;
  state: string;
  head: { ref: string };
  base: { ref: string };
};

/**
 * The few calls of Gitea's REST API (/api/v1) that opening a pull request
 * needs, authenticated with the integration's credentials. The credentials
 * only ever go into the Authorization header: error messages carry the
 * method, path, status and Gitea's own message.
 */
export class GiteaClient {
  private readonly apiBase: string;

  constructor(
    private readonly config: GiteaIntegrationConfig,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.apiBase = `${(config.baseUrl ?? `https://${config.host}`).replace(
      /\/+$/,
      '',
    )}/api/v1`;
  }

  async getRepository(owner: string, repo: string): Promise<GiteaRepository> {
    const res = await this.request('GET', repoPath(owner, repo));
    if (res.status === 404) {
      throw new NotFoundError(
        `Gitea repository ${owner}/${repo} was not found on ${this.config.host} (or the integration's user cannot see it)`,
      );
    }
    return (await this.json(res, 'GET', repoPath(owner, repo))) as any;
  }

  /** Whether a branch exists (404 is an answer here, not an error). */
  async branchExists(
    owner: string,
    repo: string,
    branch: string,
  ): Promise<boolean> {
    const path = `${repoPath(owner, repo)}/branches/${encodeURIComponent(
      branch,
    )}`;
    const res = await this.request('GET', path);
    if (res.status === 404) {
      await res.body?.cancel();
      return false;
    }
    await this.json(res, 'GET', path);
    return true;
  }

  /** The open pull request from `head` into `base`, if there is one. */
  async findOpenPullRequest(
    owner: string,
    repo: string,
    head: string,
    base: string,
  ): Promise<GiteaPullRequest | undefined> {
    // Paged: a busy cluster repository may have more open pull requests than
    // fit in one page (Gitea caps `limit` at its MAX_RESPONSE_ITEMS, 50).
    for (let page = 1; page <= 100; page++) {
      const path = `${repoPath(
        owner,
        repo,
      )}/pulls?state=open&limit=50&page=${page}`;
      const pulls = (await this.json(
        await this.request('GET', path),
        'GET',
        path,
      )) as GiteaPullRequest[];
      const match = pulls.find(
        p => p.head?.ref === head && p.base?.ref === base,
      );
      if (match) return match;
      if (pulls.length < 50) return undefined;
    }
    return undefined;
  }

  async createPullRequest(
    owner: string,
    repo: string,
    pr: { head: string; base: string; title: string; body?: string },
  ): Promise<GiteaPullRequest> {
    const path = `${repoPath(owner, repo)}/pulls`;
    const res = await this.request('POST', path, pr);
    if (res.status === 409) {
      // Gitea: "pull request already exists for these targets".
      throw new ConflictError(await this.message(res, 'POST', path));
    }
    if (res.status === 422) {
      // E.g. the head branch has no commits over base.
      throw new InputError(await this.message(res, 'POST', path));
    }
    return (await this.json(res, 'POST', path)) as any;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response> {
    const { headers = {} } = getGiteaRequestOptions(this.config) as {
      headers?: Record<string, string>;
    };
    try {
      return await this.fetchFn(`${this.apiBase}${path}`, {
        method,
        headers: {
          ...headers,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new Error(
        `Gitea ${method} ${this.apiBase}${path} failed: ${
          (e as Error).message
        }`,
      );
    }
  }

  private async json(res: Response, method: string, path: string) {
    if (res.ok) return res.json();
    const message = await this.message(res, method, path);
    switch (res.status) {
      case 401:
        throw new AuthenticationError(
          `${message} (check integrations.gitea credentials for ${this.config.host})`,
        );
      case 403:
        throw new NotAllowedError(message);
      case 404:
        throw new NotFoundError(message);
      default:
        throw new Error(message);
    }
  }

  private async message(res: Response, method: string, path: string) {
    const text = await res.text();
    let message = text;
    try {
      message = JSON.parse(text).message ?? text;
    } catch {
      // not JSON: keep the text
    }
    return `Gitea ${method} ${path} answered ${res.status}: ${message}`;
  }
}

function repoPath(owner: string, repo: string) {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}
