/*
 * The lab's Gitea (lab/scripts/gitea.sh), for the end-to-end story to look at
 * what the portal published: the pull request through the REST API, the
 * branch through a plain `git clone` over HTTP. Reads the env file
 * scripts/e2e.sh's Gitea wrote (lab/_state-e2e-gitea/env-gitea).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readEnvFile } from '@openebs-portal/lab-testkit';

export interface GiteaEnv {
  url: string;
  host: string;
  username: string;
  token: string;
  owner: string;
  repo: string;
}

export function readGiteaEnv(): GiteaEnv {
  const file =
    process.env.OPENEBS_GITEA_ENV ??
    path.resolve(__dirname, '../lab/_state-e2e-gitea/env-gitea');
  if (!fs.existsSync(file)) {
    throw new Error(
      `No Gitea: ${file} is missing. Run the story with scripts/e2e.sh.`,
    );
  }
  const env = readEnvFile(file);
  const missing = [
    'GITEA_URL',
    'GITEA_HOST',
    'GITEA_USERNAME',
    'GITEA_TOKEN',
    'GITEA_OWNER',
    'GITEA_REPO',
  ].filter(k => !env[k]);
  if (missing.length) throw new Error(`${file} lacks ${missing.join(', ')}`);
  return {
    url: env.GITEA_URL,
    host: env.GITEA_HOST,
    username: env.GITEA_USERNAME,
    token: env.GITEA_TOKEN,
    owner: env.GITEA_OWNER,
    repo: env.GITEA_REPO,
  };
}

/** Gitea's REST API as the lab's admin (GET unless a body is given); the parsed JSON. */
export async function giteaApi(
  env: GiteaEnv,
  apiPath: string,
  body?: unknown,
): Promise<any> {
  const method = body === undefined ? 'GET' : 'POST';
  const res = await fetch(`${env.url}/api/v1${apiPath}`, {
    method,
    headers: {
      Authorization: `token ${env.token}`,
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    throw new Error(
      `Gitea ${method} ${apiPath} answered ${res.status}: ${await res.text()}`,
    );
  }
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

/**
 * A fresh `git clone` of one branch of the cluster repository into dir (a
 * test's output path: Playwright empties those at the start of a run).
 */
export function cloneBranch(
  env: GiteaEnv,
  branch: string,
  dir: string,
): string {
  const url = new URL(`${env.url}/${env.owner}/${env.repo}.git`);
  url.username = env.username;
  url.password = env.token;
  execFileSync(
    'git',
    ['clone', '--quiet', '--branch', branch, url.toString(), dir],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return dir;
}

/** Every file under dir (not .git), relative to it, sorted. */
export function listTree(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTree(p, base));
    else out.push(path.relative(base, p));
  }
  return out.sort();
}

/**
 * Commits files (path → text, or null to remove one) to a branch of the
 * cluster repository in one commit, through Gitea's API: created, updated
 * or removed as what the branch has requires (a lab kept between runs).
 */
export async function commitFiles(
  env: GiteaEnv,
  branch: string,
  files: Record<string, string | null>,
  message: string,
): Promise<void> {
  const repo = `/repos/${env.owner}/${env.repo}`;
  const changes = [];
  for (const [filePath, text] of Object.entries(files)) {
    const present = await fetch(
      `${env.url}/api/v1${repo}/contents/${filePath}?ref=${branch}`,
      { headers: { Authorization: `token ${env.token}` } },
    );
    const sha = present.ok ? (await present.json()).sha : undefined;
    if (text === null) {
      if (sha) changes.push({ operation: 'delete', path: filePath, sha });
      continue;
    }
    changes.push({
      operation: sha ? 'update' : 'create',
      path: filePath,
      content: Buffer.from(text, 'utf8').toString('base64'),
      ...(sha && { sha }),
    });
  }
  await giteaApi(env, `${repo}/contents`, { branch, message, files: changes });
}

/**
 * Merges a pull request once Gitea has checked it: after a pull request is
 * opened or its branch pushed, Gitea answers a merge with 405 "Please try
 * again later" until its background check has run.
 */
export async function mergePullRequest(
  env: GiteaEnv,
  pullRequest: number,
): Promise<void> {
  const path = `/repos/${env.owner}/${env.repo}/pulls/${pullRequest}/merge`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await giteaApi(env, path, { Do: 'merge' });
      return;
    } catch (error) {
      const checking = / answered 405: .*try again later/.test(
        (error as Error).message,
      );
      if (!checking || Date.now() > deadline) throw error;
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** Removes a branch of the cluster repository, if it is there. */
export async function deleteBranch(env: GiteaEnv, branch: string) {
  const res = await fetch(
    `${env.url}/api/v1/repos/${env.owner}/${env.repo}/branches/${branch}`,
    { method: 'DELETE', headers: { Authorization: `token ${env.token}` } },
  );
  if (!res.ok && res.status !== 404) {
    throw new Error(`Gitea DELETE branch ${branch} answered ${res.status}`);
  }
}
