import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { createWorkspace, runAction } from '../__testUtils__/actionContext';
import {
  copyOntoCheckout,
  createGiteaPullRequestAction,
  gitAuth,
} from './giteaPullRequest';
import { publishableFiles } from './workspace';

const TOKEN = 'tok-3f9a-never-in-logs';

function integrations() {
  return ScmIntegrations.fromConfig(
    mockServices.rootConfig({
      data: {
        integrations: {
          gitea: [
            {
              host: 'forge.test:3300',
              baseUrl: 'http://forge.test:3300/',
              username: 'portal',
              password: TOKEN,
            },
          ],
        },
      },
    }),
  );
}

/** A fetch that fails the test if anything calls it. */
const noFetch = (async (url: string) => {
  throw new Error(`unexpected request to ${url}`);
}) as unknown as typeof fetch;

async function workspaceWith(files: Record<string, string>) {
  const dir = await createWorkspace();
  for (const [path, content] of Object.entries(files)) {
    await fs.mkdir(join(dir, path, '..'), { recursive: true });
    await fs.writeFile(join(dir, path), content);
  }
  return dir;
}

const INPUT = {
  repoUrl: 'forge.test:3300?owner=platform&repo=cluster',
  branchName: 'openebs-workload-tools-notes',
  title: 'Add tools/notes',
  catalogInfoPath: 'kubernetes/apps/tools/notes/catalog-info.yaml',
};

describe('openebs:gitea:pull-request (without a forge)', () => {
  const action = createGiteaPullRequestAction({
    integrations: integrations(),
    fetch: noFetch,
  });

  it('in a dry run, sends nothing and outputs the URLs it would use', async () => {
    const workspacePath = await workspaceWith({
      'kubernetes/apps/tools/notes/catalog-info.yaml': 'kind: Component\n',
      'kubernetes/apps/tools/notes/ks.yaml': 'kind: Kustomization\n',
    });
    const { outputs, logs } = await runAction(action, {
      input: { ...INPUT, targetBranchName: 'main' },
      workspacePath,
      isDryRun: true,
    });
    expect(outputs).toEqual({
      remoteUrl: 'http://forge.test:3300/platform/cluster/pulls',
      pullRequestNumber: 0,
      targetBranchName: 'main',
      branchName: 'openebs-workload-tools-notes',
      repoContentsUrl:
        'http://forge.test:3300/platform/cluster/src/branch/openebs-workload-tools-notes',
      // On the target branch: the location outlives the pull request's branch.
      catalogInfoUrl:
        'http://forge.test:3300/platform/cluster/src/branch/main/kubernetes/apps/tools/notes/catalog-info.yaml',
    });
    // Without a target branch a dry run cannot know the default one: no URL.
    const unknown = await runAction(action, {
      input: INPUT,
      workspacePath,
      isDryRun: true,
    });
    expect(unknown.outputs.catalogInfoUrl).toBeUndefined();
    expect(logs.join('\n')).toContain('would propose 2 files');
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('refuses a host that is not a Gitea integration', async () => {
    const workspacePath = await workspaceWith({ 'a.yaml': 'a: 1\n' });
    await expect(
      runAction(action, {
        input: { ...INPUT, repoUrl: 'github.com?owner=x&repo=y' },
        workspacePath,
        isDryRun: true,
      }),
    ).rejects.toThrow(
      'github.com is not a Gitea host of this portal: add it to integrations.gitea in app-config',
    );
  });

  it('refuses a host with no integration at all', async () => {
    const workspacePath = await workspaceWith({ 'a.yaml': 'a: 1\n' });
    await expect(
      runAction(action, {
        input: { ...INPUT, repoUrl: 'elsewhere.test?owner=x&repo=y' },
        workspacePath,
        isDryRun: true,
      }),
    ).rejects.toThrow(/No matching integration configuration for host/);
  });

  it('refuses branch names the Gitea URL reader could not read back', async () => {
    const workspacePath = await workspaceWith({ 'a.yaml': 'a: 1\n' });
    await expect(
      runAction(action, {
        input: { ...INPUT, branchName: 'feature/notes' },
        workspacePath,
        isDryRun: true,
      }),
    ).rejects.toThrow(/branchName/);
  });

  it('refuses a catalogInfoPath that is not in the workspace', async () => {
    const workspacePath = await workspaceWith({ 'a.yaml': 'a: 1\n' });
    await expect(
      runAction(action, { input: INPUT, workspacePath, isDryRun: true }),
    ).rejects.toThrow(
      'catalogInfoPath kubernetes/apps/tools/notes/catalog-info.yaml is not a file of the workspace',
    );
  });

  it('refuses an empty workspace', async () => {
    const workspacePath = await createWorkspace();
    await expect(
      runAction(action, {
        input: { ...INPUT, catalogInfoPath: undefined },
        workspacePath,
        isDryRun: true,
      }),
    ).rejects.toThrow('The workspace holds no files to publish');
  });
});

describe('gitAuth', () => {
  it('uses the username with the token as password', () => {
    expect(
      gitAuth({ host: 'h', username: 'portal', password: 'secret' }),
    ).toEqual({ username: 'portal', password: 'secret' });
  });

  it('passes a token without username the way Gitea reads it', () => {
    expect(gitAuth({ host: 'h', password: 'secret' })).toEqual({
      username: 'secret',
      password: 'x-oauth-basic',
    });
  });

  it('refuses an integration without credentials', () => {
    expect(() => gitAuth({ host: 'h', username: 'portal' })).toThrow(
      'integrations.gitea for h has no password (or token): it cannot push',
    );
  });
});

describe('copyOntoCheckout', () => {
  it('writes only new or changed files and says which', async () => {
    const workspace = await workspaceWith({
      'same.yaml': 'same\n',
      'changed.yaml': 'new\n',
      'deep/new.yaml': 'new\n',
    });
    const checkout = await workspaceWith({
      'same.yaml': 'same\n',
      'changed.yaml': 'old\n',
      'README.md': 'kept\n',
    });
    const files = await publishableFiles(workspace);
    expect(await copyOntoCheckout(workspace, checkout, files)).toEqual([
      'changed.yaml',
      'deep/new.yaml',
    ]);
    expect(await fs.readFile(join(checkout, 'changed.yaml'), 'utf8')).toBe(
      'new\n',
    );
    expect(await fs.readFile(join(checkout, 'deep/new.yaml'), 'utf8')).toBe(
      'new\n',
    );
    // Files of the repository the workspace does not have stay.
    expect(await fs.readFile(join(checkout, 'README.md'), 'utf8')).toBe(
      'kept\n',
    );
    // Twice: nothing left to write.
    expect(await copyOntoCheckout(workspace, checkout, files)).toEqual([]);
  });

  it("never publishes the workspace's own .git", async () => {
    const workspace = await workspaceWith({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'a.yaml': 'a\n',
    });
    expect(await publishableFiles(workspace)).toEqual(['a.yaml']);
  });
});
