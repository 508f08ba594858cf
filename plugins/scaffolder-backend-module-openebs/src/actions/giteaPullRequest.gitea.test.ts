import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ScmIntegrations } from '@backstage/integration';
import type { JsonValue } from '@backstage/types';
import { createWorkspace, runAction } from '../__testUtils__/actionContext';
import {
  cloneBranch,
  giteaApi,
  giteaIntegrationConfig,
  GITEA_START_TIMEOUT_MS,
  LabGitea,
  startGitea,
} from '../__testUtils__/gitea';
import { createGiteaPullRequestAction } from './giteaPullRequest';

const git = promisify(execFile);

// Clones, pushes and several API calls per test, on 2 busy cores.
jest.setTimeout(60_000);

/**
 * openebs:gitea:pull-request against a real Gitea (lab/scripts/gitea.sh, built
 * from its Go module), started for this file on a free loopback port.
 */
describe('openebs:gitea:pull-request against a real Gitea', () => {
  let gitea: LabGitea;

  beforeAll(async () => {
    gitea = await startGitea();
  }, GITEA_START_TIMEOUT_MS);

  afterAll(async () => {
    await gitea?.stop();
  }, 60_000);

  function actionWith(password: string) {
    return createGiteaPullRequestAction({
      integrations: ScmIntegrations.fromConfig(
        giteaIntegrationConfig(gitea, password),
      ),
    });
  }

  const api = (path: string) => giteaApi(gitea, 'GET', path);

  async function workspace(files: Record<string, string>) {
    const dir = await createWorkspace();
    for (const [path, content] of Object.entries(files)) {
      await fs.mkdir(join(dir, path, '..'), { recursive: true });
      await fs.writeFile(join(dir, path), content);
    }
    return dir;
  }

  const FILES = {
    'kubernetes/apps/tools/notes/catalog-info.yaml':
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: notes\n',
    'kubernetes/apps/tools/notes/ks.yaml': 'kind: Kustomization\n',
  };

  function input(branchName: string) {
    return {
      repoUrl: `${gitea.host}?owner=${gitea.owner}&repo=${gitea.repo}`,
      branchName,
      title: `Add tools/notes (${branchName})`,
      description: 'From the test',
      catalogInfoPath: 'kubernetes/apps/tools/notes/catalog-info.yaml',
    };
  }

  it('pushes a branch onto main, opens the pull request, and reuses both when run again', async () => {
    const action = actionWith(gitea.token);
    const branch = 'openebs-workload-tools-notes';
    const first = await runAction(action, {
      input: input(branch),
      workspacePath: await workspace(FILES),
    });
    const base = `${gitea.url}/${gitea.owner}/${gitea.repo}`;
    expect(first.outputs).toEqual({
      remoteUrl: `${base}/pulls/${first.outputs.pullRequestNumber}`,
      pullRequestNumber: expect.any(Number),
      targetBranchName: 'main',
      branchName: branch,
      repoContentsUrl: `${base}/src/branch/${branch}`,
      // Where the file lives once merged (the repository's default branch).
      catalogInfoUrl: `${base}/src/branch/main/kubernetes/apps/tools/notes/catalog-info.yaml`,
      commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
    });

    // Gitea has the pull request, from the branch into main ...
    const pr = await api(
      `/repos/${gitea.owner}/${gitea.repo}/pulls/${first.outputs.pullRequestNumber}`,
    );
    expect(pr).toMatchObject({
      state: 'open',
      title: `Add tools/notes (${branch})`,
      body: 'From the test',
      head: { ref: branch, sha: first.outputs.commitHash },
      base: { ref: 'main' },
    });
    // ... and the branch holds main's README plus exactly our files.
    const clone = await cloneBranch(gitea, branch);
    for (const [path, content] of Object.entries(FILES)) {
      expect(await fs.readFile(join(clone, path), 'utf8')).toBe(content);
    }
    expect(await fs.readFile(join(clone, 'README.md'), 'utf8')).toContain(
      gitea.repo,
    );
    const { stdout: count } = await git('git', [
      '-C',
      clone,
      'rev-list',
      '--count',
      'HEAD',
    ]);
    expect(count.trim()).toBe('2');

    // A new run with the same branch and files (a new task): no new commit,
    // the same pull request.
    const again = await runAction(action, {
      input: input(branch),
      workspacePath: await workspace(FILES),
    });
    expect(again.outputs.pullRequestNumber).toBe(
      first.outputs.pullRequestNumber,
    );
    expect(again.outputs.commitHash).toBeUndefined();
    expect(again.logs.join('\n')).toContain('nothing to push');

    // Changed files: one more commit on the same branch, fast-forward, and
    // still the same pull request.
    const changed = await runAction(action, {
      input: input(branch),
      workspacePath: await workspace({
        ...FILES,
        'kubernetes/apps/tools/notes/ks.yaml': 'kind: Kustomization # v2\n',
      }),
    });
    expect(changed.outputs.pullRequestNumber).toBe(
      first.outputs.pullRequestNumber,
    );
    expect(changed.outputs.commitHash).not.toBe(first.outputs.commitHash);
    const branchNow = await api(
      `/repos/${gitea.owner}/${gitea.repo}/branches/${branch}`,
    );
    expect(branchNow.commit.id).toBe(changed.outputs.commitHash);
    const open = await api(
      `/repos/${gitea.owner}/${gitea.repo}/pulls?state=open`,
    );
    expect(
      open.filter((p: any) => p.head.ref === branch).map((p: any) => p.number),
    ).toEqual([first.outputs.pullRequestNumber]);

    // The token never reaches the log.
    for (const run of [first, again, changed]) {
      expect(run.logs.join('\n')).not.toContain(gitea.token);
    }
  });

  it('replays its checkpoints when the task is retried: no second push or pull request', async () => {
    const action = actionWith(gitea.token);
    const branch = 'openebs-workload-retried';
    const checkpoints = new Map<string, JsonValue>();
    const first = await runAction(action, {
      input: input(branch),
      workspacePath: await workspace(FILES),
      checkpoints,
    });
    // The retry has other files, but the push already happened in this task:
    // the recorded result stands, the branch is not touched.
    const retried = await runAction(action, {
      input: input(branch),
      workspacePath: await workspace({ ...FILES, 'extra.yaml': 'x: 1\n' }),
      checkpoints,
    });
    expect(retried.outputs).toEqual(first.outputs);
    const branchNow = await api(
      `/repos/${gitea.owner}/${gitea.repo}/branches/${branch}`,
    );
    expect(branchNow.commit.id).toBe(first.outputs.commitHash);
  });

  it('says so when main already holds the files', async () => {
    const action = actionWith(gitea.token);
    // main's own README, unchanged: nothing to propose.
    const clone = await cloneBranch(gitea, 'main');
    const readme = await fs.readFile(join(clone, 'README.md'), 'utf8');
    await expect(
      runAction(action, {
        input: { ...input('openebs-nothing-new'), catalogInfoPath: undefined },
        workspacePath: await workspace({ 'README.md': readme }),
      }),
    ).rejects.toThrow(
      `main of ${gitea.owner}/${gitea.repo} already holds exactly these files: there is nothing to propose`,
    );
  });

  it('fails clearly with a wrong token, without printing it', async () => {
    const wrong = 'wrong-token-0000000000000000000000000000';
    const action = actionWith(wrong);
    const attempt = runAction(action, {
      input: input('openebs-wrong-token'),
      workspacePath: await workspace(FILES),
    });
    await expect(attempt).rejects.toThrow(
      /answered 401.*check integrations\.gitea credentials/,
    );
    await expect(attempt).rejects.not.toThrow(wrong);
  });
});
