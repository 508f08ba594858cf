import { promises as fs } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { RepositoryText } from '../flux/claimClass';

/** Resolves a workspace-relative path, refusing anything outside the workspace. */
export function workspaceFile(workspacePath: string, path: string): string {
  try {
    return resolveSafeChildPath(workspacePath, path);
  } catch {
    throw new InputError(`${path}: the path must stay inside the workspace`);
  }
}

export type WriteResult = 'created' | 'updated' | 'unchanged';

/**
 * Writes a file only when its content differs, so that a retried step leaves
 * the workspace (and the git diff) exactly as the first attempt did.
 */
export async function writeWorkspaceFile(
  workspacePath: string,
  path: string,
  content: string,
): Promise<WriteResult> {
  const target = workspaceFile(workspacePath, path);
  let existing: string | undefined;
  try {
    existing = await fs.readFile(target, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (existing === content) return 'unchanged';
  await fs.mkdir(dirname(target), { recursive: true });
  await fs.writeFile(target, content, 'utf8');
  return existing === undefined ? 'created' : 'updated';
}

/** Every file under dir, as paths relative to base, sorted. */
export async function listFiles(base: string, dir = base): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(base, p)));
    else if (e.isFile()) out.push(relative(base, p));
  }
  return out.sort();
}

/** The workspace files to publish: all of them but git's own. */
export async function publishableFiles(workspacePath: string) {
  return (await listFiles(workspacePath)).filter(
    f => f !== '.git' && !f.startsWith('.git/'),
  );
}

export async function readWorkspaceFileIfExists(
  workspacePath: string,
  path: string,
): Promise<string | undefined> {
  try {
    return await fs.readFile(workspaceFile(workspacePath, path), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Writes generated files. Unless `overwrite`, an existing file with other
 * content is a ConflictError, checked for every file before any is written,
 * so a conflict leaves the workspace as it was. `merged` files were built
 * from their existing content and are always written.
 */
export async function writeGeneratedFiles(
  workspacePath: string,
  files: { path: string; content: string }[],
  options: { overwrite?: boolean; merged?: string[] } = {},
): Promise<Record<WriteResult, number>> {
  if (!options.overwrite) {
    for (const f of files) {
      if (options.merged?.includes(f.path)) continue;
      const current = await readWorkspaceFileIfExists(workspacePath, f.path);
      if (current !== undefined && current !== f.content) {
        throw new ConflictError(
          `${f.path} already exists with other content; set overwrite: true to replace it`,
        );
      }
    }
  }
  const results: Record<WriteResult, number> = {
    created: 0,
    updated: 0,
    unchanged: 0,
  };
  for (const f of files) {
    results[await writeWorkspaceFile(workspacePath, f.path, f.content)]++;
  }
  return results;
}

/**
 * The YAML files under a workspace directory, at any depth, with their
 * workspace paths (read there by openebs:repository:read).
 */
export async function readYamlFiles(
  workspacePath: string,
  directory: string,
): Promise<RepositoryText[]> {
  const root = workspaceFile(workspacePath, directory);
  let paths: string[];
  try {
    paths = await listFiles(root);
  } catch {
    throw new InputError(
      `${directory}: no files there (the branch has none under it, or openebs:repository:read did not read it)`,
    );
  }
  const files: RepositoryText[] = [];
  for (const path of paths.filter(p => /\.ya?ml$/.test(p))) {
    files.push({
      path: join(directory, path),
      content: await fs.readFile(join(root, path), 'utf8'),
    });
  }
  return files;
}

/**
 * A manifest change's end, the same for every action that edits the
 * repository's manifests: the files it could not read warned of, its
 * files written into the workspace, what was found logged, and both given
 * as the outputs `changed` and `found`.
 */
export async function writeManifestChange(
  ctx: Pick<ActionContext<any, any>, 'workspacePath' | 'logger' | 'output'>,
  result: { changed: RepositoryText[]; found: string[]; unreadable: string[] },
): Promise<void> {
  for (const problem of result.unreadable) {
    ctx.logger.warn(`Not read: ${problem}`);
  }
  for (const file of result.changed) {
    await writeWorkspaceFile(ctx.workspacePath, file.path, file.content);
  }
  result.found.forEach(f => ctx.logger.info(f));
  ctx.output(
    'changed',
    result.changed.map(f => f.path),
  );
  ctx.output('found', result.found);
}

/** A Kubernetes object's name, as the manifest actions' inputs accept it. */
export const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
