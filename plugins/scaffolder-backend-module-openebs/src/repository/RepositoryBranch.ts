import { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';

/** A repository file's path and bytes. */
export type RepositoryFile = { path: string; content: Buffer };

/**
 * One branch of a cluster repository, read through Backstage's UrlReader, so
 * that Gitea and GitHub are read the same way and with the integrations'
 * credentials. A path the branch does not hold reads as absent, not as an
 * error: the actions ask "is it there?" before they write.
 */
export class RepositoryBranch {
  private constructor(
    private readonly reader: UrlReaderService,
    private readonly base: { file: string; tree: string },
    readonly label: string,
  ) {}

  static of(options: {
    reader: UrlReaderService;
    integrations: ScmIntegrationRegistry;
    repoUrl: string;
    branch: string;
  }): RepositoryBranch {
    const { host, owner, repo } = parseRepoUrl(
      options.repoUrl,
      options.integrations,
    );
    if (!owner) throw new InputError(`repoUrl ${options.repoUrl} has no owner`);
    const branch = encodeURIComponent(options.branch);
    const label = `${options.branch} of ${owner}/${repo} on ${host}`;
    const gitea = options.integrations.gitea.byHost(host);
    if (gitea) {
      const web = (gitea.config.baseUrl ?? `https://${host}`).replace(
        /\/+$/,
        '',
      );
      const at = `${web}/${owner}/${repo}/src/branch/${branch}`;
      return new RepositoryBranch(
        options.reader,
        { file: at, tree: at },
        label,
      );
    }
    if (options.integrations.github.byHost(host)) {
      const web = `https://${host}/${owner}/${repo}`;
      return new RepositoryBranch(
        options.reader,
        { file: `${web}/blob/${branch}`, tree: `${web}/tree/${branch}` },
        label,
      );
    }
    throw new InputError(
      `${host} has no Gitea or GitHub integration in app-config: the cluster repository cannot be read`,
    );
  }

  /** The file at `path` on the branch, or undefined when there is none. */
  async readFile(path: string): Promise<Buffer | undefined> {
    try {
      const response = await this.reader.readUrl(`${this.base.file}/${path}`);
      return await response.buffer();
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Every file under the directory `path` (repository paths), or none. */
  async readDirectory(path: string): Promise<RepositoryFile[]> {
    try {
      const tree = await this.reader.readTree(`${this.base.tree}/${path}`);
      const files = await tree.files();
      return Promise.all(
        files.map(async f => ({
          path: `${path.replace(/\/+$/, '')}/${f.path}`,
          content: await f.content(),
        })),
      );
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
  }
}

/**
 * In a dry run (the template editor, a preview) a forge that cannot be
 * reached is said, not fatal: the run goes on as if the branch had none of
 * the files, and the caller's output says the result is not the real diff.
 * In a real run every such error stops the task before anything is pushed.
 */
export async function readOrExplain<T>(
  dryRun: boolean,
  what: string,
  read: () => Promise<T>,
  fallback: T,
  warn: (message: string) => void,
): Promise<{ value: T; unavailable?: string }> {
  try {
    return { value: await read() };
  } catch (e) {
    if (!dryRun || (isError(e) && e.name === 'InputError')) throw e;
    const reason = `${what} could not be read in this dry run (${
      isError(e) ? e.message : String(e)
    }): shown as if it held none of these files`;
    warn(reason);
    return { value: fallback, unavailable: reason };
  }
}

function isNotFound(e: unknown): boolean {
  return isError(e) && e.name === 'NotFoundError';
}
