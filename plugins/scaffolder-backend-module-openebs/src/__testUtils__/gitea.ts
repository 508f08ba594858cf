import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { parseEnvFile } from '@openebs-portal/lab-testkit';
import { makeTemporaryDirectory } from './actionContext';

const run = promisify(execFile);

/** lab/scripts/gitea.sh, from this package's src/__testUtils__. */
// Test helper: finds files in the source tree, never part of a build.
// eslint-disable-next-line no-restricted-syntax
export const GITEA_SCRIPT = resolve(
  __dirname,
  '../../../../lab/scripts/gitea.sh',
);

/** Building Gitea cold takes about ten minutes on 2 cores; starting it, seconds. */
export const GITEA_START_TIMEOUT_MS = 25 * 60 * 1000;

/** A running Gitea and what lab/scripts/gitea.sh wrote to its env file. */
export type LabGitea = {
  url: string;
  host: string;
  username: string;
  token: string;
  owner: string;
  repo: string;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

/**
 * Starts a Gitea of its own (lab/scripts/gitea.sh, building it first if
 * needed) on a free loopback port in a temporary state dir. Throws, failing
 * the test, when it cannot: these tests never skip.
 */
export async function startGitea(): Promise<LabGitea> {
  const state = await fs.mkdtemp(join(tmpdir(), 'openebs-gitea-'));
  const port = await freePort();
  let stdout: string;
  try {
    ({ stdout } = await run(GITEA_SCRIPT, ['up', state], {
      env: { ...process.env, GITEA_PORT: String(port) },
      timeout: GITEA_START_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    await run(GITEA_SCRIPT, ['down', '--purge', state]).catch(() => {});
    throw new Error(
      `A Gitea is required by this test and ${GITEA_SCRIPT} could not start one ` +
        `(Go 1.26 and the Go module proxy are needed for its first build; run it by hand to see why):\n` +
        `${err.stderr || err.message}`,
    );
  }
  const env = parseEnvFile(stdout);
  for (const key of [
    'GITEA_URL',
    'GITEA_HOST',
    'GITEA_USERNAME',
    'GITEA_TOKEN',
  ]) {
    if (!env[key]) {
      throw new Error(`${GITEA_SCRIPT} up printed no ${key}:\n${stdout}`);
    }
  }
  return {
    url: env.GITEA_URL,
    host: env.GITEA_HOST,
    username: env.GITEA_USERNAME,
    token: env.GITEA_TOKEN,
    owner: env.GITEA_OWNER,
    repo: env.GITEA_REPO,
    async stop() {
      await run(GITEA_SCRIPT, ['down', '--purge', state]);
    },
  };
}

/** The repository's git URL with the admin's credentials. */
export function giteaRemote(gitea: LabGitea): string {
  const url = new URL(`${gitea.url}/${gitea.owner}/${gitea.repo}.git`);
  url.username = gitea.username;
  url.password = gitea.token;
  return url.toString();
}

/** A fresh clone of `branch`, in a temporary directory. */
export async function cloneBranch(
  gitea: LabGitea,
  branch: string,
): Promise<string> {
  // Removed after the test file, as every test directory is.
  const dir = await makeTemporaryDirectory('openebs-gitea-clone-');
  await run('git', [
    'clone',
    '-q',
    '--branch',
    branch,
    giteaRemote(gitea),
    dir,
  ]);
  return dir;
}

/** Commits `files` onto main and pushes, as an operator would. */
export async function pushToMain(
  gitea: LabGitea,
  files: Record<string, string>,
  message = 'cluster repository',
): Promise<void> {
  const dir = await cloneBranch(gitea, 'main');
  for (const [path, content] of Object.entries(files)) {
    await fs.mkdir(join(dir, path, '..'), { recursive: true });
    await fs.writeFile(join(dir, path), content);
  }
  const id = ['-c', 'user.name=ops', '-c', 'user.email=ops@example.com'];
  await run('git', ['-C', dir, 'add', '.']);
  await run('git', ['-C', dir, ...id, 'commit', '-qm', message]);
  await run('git', ['-C', dir, 'push', '-q', 'origin', 'main']);
}

/** Gitea's REST API as the admin; throws on a status other than 2xx. */
export async function giteaApi(
  gitea: LabGitea,
  method: string,
  path: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`${gitea.url}/api/v1${path}`, {
    method,
    headers: {
      Authorization: `token ${gitea.token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok)
    throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

export async function branchExists(gitea: LabGitea, branch: string) {
  const res = await fetch(
    `${gitea.url}/api/v1/repos/${gitea.owner}/${gitea.repo}/branches/${branch}`,
    { headers: { Authorization: `token ${gitea.token}` } },
  );
  return res.status === 200;
}

/** The portal's config with this Gitea as its integration (the admin's token by default). */
export function giteaIntegrationConfig(
  gitea: LabGitea,
  password = gitea.token,
) {
  return mockServices.rootConfig({
    data: {
      integrations: {
        gitea: [
          {
            host: gitea.host,
            baseUrl: gitea.url,
            username: gitea.username,
            password,
          },
        ],
      },
    },
  });
}

/**
 * What the repository actions need to run against this Gitea: its
 * integration, Backstage's UrlReader over it, and the repoUrl of its
 * repository as RepoUrlPicker writes it.
 */
export function giteaRepository(gitea: LabGitea) {
  const config = giteaIntegrationConfig(gitea);
  return {
    integrations: ScmIntegrations.fromConfig(config),
    reader: UrlReaders.default({ config, logger: mockServices.logger.mock() }),
    repoUrl: `${gitea.host}?owner=${gitea.owner}&repo=${gitea.repo}`,
  };
}
