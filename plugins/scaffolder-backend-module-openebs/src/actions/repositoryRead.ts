import { promises as fs } from 'node:fs';
import { dirname, posix } from 'node:path';
import { parse } from 'yaml';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  readOrExplain,
  RepositoryBranch,
  RepositoryFile,
} from '../repository/RepositoryBranch';
import { readWorkspaceFileIfExists, workspaceFile } from './workspace';

export const REPOSITORY_READ_ACTION_ID = 'openebs:repository:read';

/**
 * Options of {@link createRepositoryReadAction} and
 * {@link createRepositoryDiffAction}.
 *
 * @public
 */
export type RepositoryActionOptions = {
  reader: UrlReaderService;
  integrations: ScmIntegrationRegistry;
};

/** Schema of the inputs both repository actions take. */
export const repositoryInput = {
  repoUrl: (z: any) =>
    z
      .string()
      .min(1)
      .describe(
        'HOST?owner=OWNER&repo=REPO, as RepoUrlPicker writes it; HOST needs a Gitea or GitHub integration',
      ),
  branch: (z: any) =>
    z
      .string()
      .min(1)
      .default('main')
      .describe('The branch the pull request will target'),
};

/**
 * Brings the files a template merges into (a namespace's kustomization.yaml,
 * .sops.yaml, an app directory that may already exist) from the target branch
 * into the workspace, so that the next steps extend what the repository has
 * instead of writing a file that replaces it. Read-only on the forge, so it
 * runs in dry runs too.
 *
 * @public
 */
export function createRepositoryReadAction(options: RepositoryActionOptions) {
  return createTemplateAction({
    id: REPOSITORY_READ_ACTION_ID,
    description:
      "Copies files and directories of the target branch into the workspace, so that generated files merge with the repository's",
    supportsDryRun: true,
    schema: {
      input: {
        ...repositoryInput,
        files: z =>
          z
            .array(z.string().min(1))
            .default([])
            .describe('Repository paths of files; absent ones are skipped'),
        directories: z =>
          z
            .array(z.string().min(1))
            .default([])
            .describe('Repository paths of directories, read whole'),
      },
      output: {
        read: z =>
          z
            .array(z.string())
            .describe('The paths the branch held, now in the workspace'),
        listed: z =>
          z
            .array(z.string())
            .describe(
              'What the kustomizations read list (paths on the branch the workspace lacks), for openebs:manifests:validate',
            ),
      },
    },
    async handler(ctx) {
      const branch = RepositoryBranch.of({
        ...options,
        repoUrl: ctx.input.repoUrl,
        branch: ctx.input.branch ?? 'main',
      });
      // Paths are checked against the workspace before anything is read.
      const files = ctx.input.files ?? [];
      const directories = ctx.input.directories ?? [];
      [...files, ...directories].forEach(p =>
        workspaceFile(ctx.workspacePath, p),
      );

      const { value: found } = await readOrExplain(
        Boolean(ctx.isDryRun),
        branch.label,
        async () => {
          const all: RepositoryFile[] = [];
          for (const path of files) {
            const content = await branch.readFile(path);
            if (content) all.push({ path, content });
          }
          for (const path of directories) {
            all.push(...(await branch.readDirectory(path)));
          }
          return all;
        },
        [],
        m => ctx.logger.warn(m),
      );
      for (const file of found) {
        await copyIntoWorkspace(ctx.workspacePath, file);
      }
      ctx.logger.info(
        `Read ${found.length} file(s) from ${branch.label}: ${
          found.map(f => f.path).join(', ') || 'none of the paths exist yet'
        }`,
      );
      ctx.output(
        'read',
        found.map(f => f.path),
      );
      ctx.output('listed', listedResources(found));
    },
  });
}

/**
 * Writes a repository file into the workspace. A workspace file with other
 * content (an earlier step wrote it) is a conflict: reading must come first.
 */
async function copyIntoWorkspace(workspacePath: string, file: RepositoryFile) {
  const current = await readWorkspaceFileIfExists(workspacePath, file.path);
  if (current !== undefined) {
    if (current === file.content.toString('utf8')) return;
    throw new ConflictError(
      `${file.path} is already in the workspace with other content: run ${REPOSITORY_READ_ACTION_ID} before the steps that write files`,
    );
  }
  const target = workspaceFile(workspacePath, file.path);
  await fs.mkdir(dirname(target), { recursive: true });
  await fs.writeFile(target, file.content);
}

/**
 * The local entries of the kustomization.yaml files read, as repository
 * paths: they exist on the branch (the repository's own concern), though
 * only the files the template extends were copied.
 */
function listedResources(files: RepositoryFile[]): string[] {
  const listed = new Set<string>();
  for (const file of files) {
    if (posix.basename(file.path) !== 'kustomization.yaml') continue;
    let resources: unknown;
    try {
      resources = parse(file.content.toString('utf8'))?.resources;
    } catch {
      continue; // the workload action reports it, naming the file
    }
    if (!Array.isArray(resources)) continue;
    for (const r of resources) {
      if (typeof r !== 'string' || /^[a-z]+:\/\//.test(r)) continue;
      listed.add(posix.normalize(posix.join(posix.dirname(file.path), r)));
    }
  }
  return [...listed].sort();
}
