import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import type {
  GiteaIntegrationConfig,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  addFiles,
  cloneRepo,
  commitAndPushBranch,
  createTemplateAction,
  parseRepoUrl,
} from '@backstage/plugin-scaffolder-node';
import { GiteaClient } from '../gitea/GiteaClient';
import { publishableFiles, workspaceFile } from './workspace';

export const GITEA_PULL_REQUEST_ACTION_ID = 'openebs:gitea:pull-request';

/**
 * Branch names this action accepts: one path segment. Backstage's Gitea URL
 * reader (and so `catalog:register`) parses `.../src/branch/REF/PATH` by
 * splitting on `/`, so a branch with a slash could not be read back.
 */
const BRANCH = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Options of {@link createGiteaPullRequestAction}.
 *
 * @public
 */
export type GiteaPullRequestActionOptions = {
  integrations: ScmIntegrationRegistry;
  /** For tests; default the global fetch. */
  fetch?: typeof fetch;
};

/** Git over HTTP with the integration's credentials, as Gitea takes them. */
export function gitAuth(config: GiteaIntegrationConfig): {
  username: string;
  password: string;
} {
  if (!config.password) {
    throw new InputError(
      `integrations.gitea for ${config.host} has no password (or token): it cannot push`,
    );
  }
  // Gitea reads a token from the password (any username), or from the
  // username when the password is empty or "x-oauth-basic".
  return config.username
    ? { username: config.username, password: config.password }
    : { username: config.password, password: 'x-oauth-basic' };
}

/**
 * Copies the listed workspace files onto a checkout, writing only those whose
 * content differs. Returns the paths it wrote (created or changed): none means
 * the checkout already holds exactly these files.
 */
export async function copyOntoCheckout(
  workspacePath: string,
  checkoutDir: string,
  files: string[],
): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const content = await fs.readFile(workspaceFile(workspacePath, file));
    const target = resolveSafeChildPath(checkoutDir, file);
    let existing: Buffer | undefined;
    try {
      existing = await fs.readFile(target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (existing?.equals(content)) continue;
    await fs.mkdir(dirname(target), { recursive: true });
    await fs.writeFile(target, content);
    written.push(file);
  }
  return written;
}

/**
 * Opens a pull request on a Gitea repository with the workspace's files: the
 * target branch (default: the repository's default branch) is cloned, the
 * files are copied onto it, committed and pushed as `branchName`, and Gitea's
 * REST API opens the pull request.
 *
 * Idempotent: run again with the same branch name (a retried task, or a new
 * run of the same template), it builds on the existing branch, pushes only if
 * the files differ, and reuses the open pull request. Credentials come from
 * `integrations.gitea` and are never logged or put in an output.
 *
 * @public
 */
export function createGiteaPullRequestAction(
  options: GiteaPullRequestActionOptions,
) {
  const { integrations } = options;
  return createTemplateAction({
    id: GITEA_PULL_REQUEST_ACTION_ID,
    description:
      'Opens a pull request with the workspace files on a Gitea repository (integrations.gitea)',
    supportsDryRun: true,
    examples: [
      {
        description: 'Propose generated manifests to the cluster repository',
        example: [
          'steps:',
          '  - id: publish',
          `    action: ${GITEA_PULL_REQUEST_ACTION_ID}`,
          '    input:',
          '      repoUrl: gitea.example.com?owner=platform&repo=cluster',
          '      branchName: add-shop-db',
          '      title: Add shop/shop-db',
          '      catalogInfoPath: kubernetes/apps/shop/shop-db/catalog-info.yaml',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .min(1)
            .describe(
              'HOST?owner=OWNER&repo=REPO, as RepoUrlPicker writes it; HOST must be in integrations.gitea',
            ),
        branchName: z =>
          z
            .string()
            .max(200)
            .regex(BRANCH, 'must be one path segment of [A-Za-z0-9._-]')
            .describe('The branch to push and propose'),
        targetBranchName: z =>
          z
            .string()
            .regex(BRANCH)
            .optional()
            .describe("Branch to merge into; default the repository's default"),
        title: z => z.string().min(1).max(255).describe('Pull request title'),
        description: z =>
          z.string().optional().describe('Pull request body (Markdown)'),
        commitMessage: z =>
          z.string().optional().describe('Default: the title'),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace-relative path of the catalog-info.yaml, for the catalogInfoUrl output',
            ),
        gitAuthorName: z => z.string().optional(),
        gitAuthorEmail: z => z.string().optional(),
      },
      output: {
        remoteUrl: z => z.string().describe('The pull request (web page)'),
        pullRequestNumber: z => z.number(),
        targetBranchName: z => z.string(),
        branchName: z => z.string(),
        repoContentsUrl: z =>
          z.string().describe('The branch on the web: base for catalog URLs'),
        catalogInfoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'catalog-info.yaml on the target branch, where it lives once the pull request is merged: for catalog:register',
            ),
        commitHash: z =>
          z
            .string()
            .optional()
            .describe('The commit pushed by this run, if it pushed one'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const { host, owner, repo } = parseRepoUrl(input.repoUrl, integrations);
      const integration = integrations.gitea.byHost(host);
      if (!integration) {
        throw new InputError(
          `${host} is not a Gitea host of this portal: add it to integrations.gitea in app-config`,
        );
      }
      if (!owner) {
        throw new InputError(`repoUrl ${input.repoUrl} has no owner`);
      }
      const { config } = integration;
      const baseUrl = (config.baseUrl ?? `https://${host}`).replace(/\/+$/, '');
      const branch = input.branchName;
      const files = await publishableFiles(ctx.workspacePath);
      if (files.length === 0) {
        throw new InputError('The workspace holds no files to publish');
      }
      if (input.catalogInfoPath && !files.includes(input.catalogInfoPath)) {
        throw new InputError(
          `catalogInfoPath ${input.catalogInfoPath} is not a file of the workspace`,
        );
      }
      const contentsUrl = (b: string) =>
        `${baseUrl}/${owner}/${repo}/src/branch/${b}`;
      const repoContentsUrl = contentsUrl(branch);
      // The entity's location is the file on the target branch: one on the
      // pull request's branch dies when the merged branch is deleted, and
      // the catalog keeps an entity that no location provides any more.
      const catalogInfoUrl = (target?: string) =>
        input.catalogInfoPath && target
          ? `${contentsUrl(target)}/${input.catalogInfoPath}`
          : undefined;

      if (ctx.isDryRun) {
        // No request at all: a dry run must not need (or touch) the forge.
        ctx.logger.info(
          `Dry run: would propose ${files.length} files to ${owner}/${repo} on ${host} as branch ${branch}`,
        );
        ctx.output('remoteUrl', `${baseUrl}/${owner}/${repo}/pulls`);
        ctx.output('pullRequestNumber', 0);
        ctx.output('targetBranchName', input.targetBranchName ?? '');
        ctx.output('branchName', branch);
        ctx.output('repoContentsUrl', repoContentsUrl);
        const dryRunCatalogInfoUrl = catalogInfoUrl(input.targetBranchName);
        if (dryRunCatalogInfoUrl) {
          ctx.output('catalogInfoUrl', dryRunCatalogInfoUrl);
        }
        return;
      }

      const auth = gitAuth(config);
      const client = new GiteaClient(config, options.fetch);
      const repository = await client.getRepository(owner, repo);
      if (repository.archived) {
        throw new ConflictError(`${owner}/${repo} is archived`);
      }
      const target = input.targetBranchName ?? repository.default_branch;
      if (target === branch) {
        throw new InputError(
          `branchName ${branch} is the target branch itself: choose another`,
        );
      }

      // The remote side effects run inside checkpoints: a task resumed after
      // a crash replays their recorded results instead of pushing or opening
      // a pull request twice.
      const push = await ctx.checkpoint({
        key: `gitea.push.${host}/${owner}/${repo}#${branch}`,
        fn: async () => {
          // An existing branch (an earlier run) is built upon, so that the
          // push is a fast-forward and never rewrites what others may have
          // added to the pull request.
          const reuse = await client.branchExists(owner, repo, branch);
          const dir = await ctx.createTemporaryDirectory();
          await cloneRepo({
            // From the integration's base URL, not Gitea's clone_url: that
            // one follows Gitea's ROOT_URL, which may name another address.
            url: `${baseUrl}/${owner}/${repo}.git`,
            dir,
            auth,
            logger: ctx.logger,
            ref: reuse ? branch : target,
          });
          const written = await copyOntoCheckout(ctx.workspacePath, dir, files);
          if (written.length === 0) {
            if (reuse) {
              ctx.logger.info(
                `Branch ${branch} already holds these ${files.length} files: nothing to push`,
              );
              return { commitHash: null, reused: true };
            }
            throw new ConflictError(
              `${target} of ${owner}/${repo} already holds exactly these files: there is nothing to propose`,
            );
          }
          ctx.logger.info(
            `${
              reuse ? 'Updating' : 'Creating'
            } branch ${branch} of ${owner}/${repo} (base ${target}): ${
              written.length
            } of ${files.length} files new or changed`,
          );
          await addFiles({ dir, filepath: '.', auth, logger: ctx.logger });
          const { commitHash } = await commitAndPushBranch({
            dir,
            auth,
            logger: ctx.logger,
            commitMessage: input.commitMessage ?? input.title,
            gitAuthorInfo: {
              name: input.gitAuthorName,
              email: input.gitAuthorEmail,
            },
            branch,
            remoteRef: `refs/heads/${branch}`,
            signingKey: config.commitSigningKey,
          });
          return { commitHash, reused: reuse };
        },
      });

      const pr = await ctx.checkpoint({
        key: `gitea.pull.${host}/${owner}/${repo}#${branch}->${target}`,
        fn: async () => {
          const existing = await client.findOpenPullRequest(
            owner,
            repo,
            branch,
            target,
          );
          if (existing) {
            ctx.logger.info(
              `Reusing open pull request #${existing.number}: ${existing.html_url}`,
            );
            return { number: existing.number, url: existing.html_url };
          }
          try {
            const created = await client.createPullRequest(owner, repo, {
              head: branch,
              base: target,
              title: input.title,
              body: input.description,
            });
            ctx.logger.info(
              `Opened pull request #${created.number}: ${created.html_url}`,
            );
            return { number: created.number, url: created.html_url };
          } catch (e) {
            // Opened concurrently (or closed and reopened) since we looked.
            if (!(e instanceof ConflictError)) throw e;
            const raced = await client.findOpenPullRequest(
              owner,
              repo,
              branch,
              target,
            );
            if (!raced) throw e;
            return { number: raced.number, url: raced.html_url };
          }
        },
      });

      ctx.output('remoteUrl', pr.url);
      ctx.output('pullRequestNumber', pr.number);
      ctx.output('targetBranchName', target);
      ctx.output('branchName', branch);
      ctx.output('repoContentsUrl', repoContentsUrl);
      const targetCatalogInfoUrl = catalogInfoUrl(target);
      if (targetCatalogInfoUrl) {
        ctx.output('catalogInfoUrl', targetCatalogInfoUrl);
      }
      if (push.commitHash) ctx.output('commitHash', push.commitHash);
    },
  });
}
