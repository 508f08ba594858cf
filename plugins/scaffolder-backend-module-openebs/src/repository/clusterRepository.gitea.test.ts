import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { parse } from 'yaml';
import {
  createWorkspace,
  makeTemporaryDirectory,
  runAction,
} from '../__testUtils__/actionContext';
import {
  GITEA_START_TIMEOUT_MS,
  LabGitea,
  startGitea,
} from '../__testUtils__/gitea';
import { createFluxWorkloadAction } from '../actions/fluxWorkload';
import { createGiteaPullRequestAction } from '../actions/giteaPullRequest';
import { createRepositoryDiffAction } from '../actions/repositoryDiff';
import { createRepositoryReadAction } from '../actions/repositoryRead';
import { createSopsEncryptAction } from '../actions/sopsEncrypt';
import { readSopsMetadata } from '../sops/SopsYaml';

const git = promisify(execFile);

jest.setTimeout(120_000);

/**
 * The workload template's steps, in its order, against a real Gitea holding
 * a cluster repository laid out as Flux users lay theirs out: a namespace
 * with two apps already reconciled, a namespace.yaml with labels, and a
 * .sops.yaml naming the cluster's age key. The pull request may only add.
 */
describe('the workload template against an existing cluster repository', () => {
  let gitea: LabGitea;
  let clusterKey: string;
  let formKey: string;
  const actions = {} as Record<
    'read' | 'flux' | 'sops' | 'diff' | 'pr',
    Parameters<typeof runAction>[0]
  >;

  const EXISTING: Record<string, string> = {
    '.sops.yaml': '', // set in beforeAll, with the cluster key
    'kubernetes/apps/shop/namespace.yaml': [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: shop',
      '  labels:',
      '    team: shop # kept',
      '  annotations:',
      '    openebs-portal.dev/owner: group:default/team-shop',
      '',
    ].join('\n'),
    'kubernetes/apps/shop/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      '# Apps of the shop team; Flux prunes what leaves this list.',
      'resources:',
      '  - ./namespace.yaml',
      '  - ./orders/ks.yaml',
      '  - ./payments/ks.yaml',
      'labels:',
      '  - pairs:',
      '      team: shop',
      '',
    ].join('\n'),
    'kubernetes/apps/shop/orders/ks.yaml': 'kind: Kustomization # orders\n',
    'kubernetes/apps/shop/payments/ks.yaml': 'kind: Kustomization # payments\n',
  };

  beforeAll(async () => {
    gitea = await startGitea();
    clusterKey = await identityToRecipient(await generateX25519Identity());
    formKey = await identityToRecipient(await generateX25519Identity());
    EXISTING['.sops.yaml'] = [
      'creation_rules:',
      '  - path_regex: kubernetes/.*\\.sops\\.ya?ml$',
      "    encrypted_regex: '^(data|stringData)$'",
      `    age: ${clusterKey}`,
      '',
    ].join('\n');
    await pushToMain(EXISTING);

    const config = mockServices.rootConfig({
      data: {
        integrations: {
          gitea: [
            {
              host: gitea.host,
              baseUrl: gitea.url,
              username: gitea.username,
              password: gitea.token,
            },
          ],
        },
      },
    });
    const integrations = ScmIntegrations.fromConfig(config);
    const reader = UrlReaders.default({
      config,
      logger: mockServices.logger.mock(),
    });
    actions.read = createRepositoryReadAction({ reader, integrations });
    actions.flux = createFluxWorkloadAction();
    actions.sops = createSopsEncryptAction({ defaultRecipients: [] });
    actions.diff = createRepositoryDiffAction({ reader, integrations });
    actions.pr = createGiteaPullRequestAction({ integrations });
  }, GITEA_START_TIMEOUT_MS);

  afterAll(async () => {
    await gitea?.stop();
  }, 60_000);

  function remote() {
    const url = new URL(`${gitea.url}/${gitea.owner}/${gitea.repo}.git`);
    url.username = gitea.username;
    url.password = gitea.token;
    return url.toString();
  }

  async function clone(branch: string) {
    const dir = await makeTemporaryDirectory('openebs-cluster-repo-');
    await git('git', ['clone', '-q', '--branch', branch, remote(), dir]);
    return dir;
  }

  async function pushToMain(files: Record<string, string>) {
    const dir = await clone('main');
    for (const [path, content] of Object.entries(files)) {
      await fs.mkdir(join(dir, path, '..'), { recursive: true });
      await fs.writeFile(join(dir, path), content);
    }
    const id = ['-c', 'user.name=ops', '-c', 'user.email=ops@example.com'];
    await git('git', ['-C', dir, 'add', '.']);
    await git('git', ['-C', dir, ...id, 'commit', '-qm', 'cluster repo']);
    await git('git', ['-C', dir, 'push', '-q', 'origin', 'main']);
  }

  async function branchExists(branch: string) {
    const res = await fetch(
      `${gitea.url}/api/v1/repos/${gitea.owner}/${gitea.repo}/branches/${branch}`,
      { headers: { Authorization: `token ${gitea.token}` } },
    );
    return res.status === 200;
  }

  /** The template's steps for a StatefulSet `name` in shop, owned by `owner`. */
  async function runTemplate(name: string, owner: string) {
    const workspacePath = await createWorkspace();
    const repoUrl = `${gitea.host}?owner=${gitea.owner}&repo=${gitea.repo}`;
    const branchName = `openebs-workload-shop-${name}`;
    await runAction(actions.read, {
      workspacePath,
      input: {
        repoUrl,
        branch: 'main',
        files: [
          '.sops.yaml',
          'kubernetes/apps/shop/kustomization.yaml',
          'kubernetes/apps/shop/namespace.yaml',
        ],
        directories: [`kubernetes/apps/shop/${name}`],
      },
    });
    const flux = await runAction(actions.flux, {
      workspacePath,
      input: {
        name,
        namespace: 'shop',
        owner,
        kind: 'statefulset',
        image: 'docker.io/library/redis:7.4.1',
        port: 6379,
        mountPath: '/data',
        size: '1Gi',
        secretName: `${name}-auth`,
      },
    });
    await runAction(actions.sops, {
      workspacePath,
      input: {
        path: flux.outputs.secretPath as string,
        name: `${name}-auth`,
        namespace: 'shop',
        recipients: [formKey],
        entries: [{ key: 'password', fromSecret: 'value' }],
      },
      secrets: { value: 's3cret' },
    });
    const diff = await runAction(actions.diff, {
      workspacePath,
      input: { repoUrl, branch: 'main' },
    });
    const pr = await runAction(actions.pr, {
      workspacePath,
      input: { repoUrl, branchName, title: `Add shop/${name}` },
    });
    return { diff: diff.outputs, pr: pr.outputs, branchName };
  }

  it('adds the workload and keeps every app, field, label and key the repository has', async () => {
    const { diff, branchName } = await runTemplate(
      'cart',
      'group:default/team-shop',
    );
    const dir = await clone(branchName);
    const read = (p: string) => fs.readFile(join(dir, p), 'utf8');

    const kustomization = await read('kubernetes/apps/shop/kustomization.yaml');
    expect(parse(kustomization)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [
        './namespace.yaml',
        './orders/ks.yaml',
        './payments/ks.yaml',
        './cart/ks.yaml',
      ],
      labels: [{ pairs: { team: 'shop' } }],
    });
    expect(kustomization).toContain('# Apps of the shop team');

    const namespace = parse(await read('kubernetes/apps/shop/namespace.yaml'));
    expect(namespace.metadata).toEqual({
      name: 'shop',
      labels: { team: 'shop' },
      annotations: {
        'openebs-portal.dev/owner': 'group:default/team-shop',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      },
    });
    // Untouched: the other apps and the repository's SOPS rules.
    for (const path of [
      '.sops.yaml',
      'kubernetes/apps/shop/orders/ks.yaml',
      'kubernetes/apps/shop/payments/ks.yaml',
    ]) {
      expect(await read(path)).toBe(EXISTING[path]);
    }
    // The Secret can be decrypted by the cluster's key, and by the form's.
    const secret = await read(
      'kubernetes/apps/shop/cart/app/cart-auth.sops.yaml',
    );
    expect(readSopsMetadata(secret)?.recipients.sort()).toEqual(
      [clusterKey, formKey].sort(),
    );

    // The diff shown in the template's output says the same.
    expect(diff.changed).toEqual([
      'kubernetes/apps/shop/kustomization.yaml',
      'kubernetes/apps/shop/namespace.yaml',
    ]);
    expect(diff.added).toContain('kubernetes/apps/shop/cart/ks.yaml');
    expect(diff.added).toContain(
      'kubernetes/apps/shop/cart/app/cart-auth.sops.yaml',
    );
    expect(diff.unchanged).toBe(1); // .sops.yaml
    expect(diff.diff).toContain('+  - ./cart/ks.yaml');
    expect(diff.diff).not.toMatch(/^- {2}- \.\/(orders|payments)/m);
  });

  it('refuses an app name the namespace already has, and opens nothing', async () => {
    await expect(
      runTemplate('orders', 'group:default/team-shop'),
    ).rejects.toThrow(
      'kubernetes/apps/shop/orders already exists in the repository (kubernetes/apps/shop/orders/ks.yaml): choose another name',
    );
    expect(await branchExists('openebs-workload-shop-orders')).toBe(false);
  });

  it("refuses a namespace the repository records as another team's, and opens nothing", async () => {
    await expect(
      runTemplate('basket', 'group:default/team-other'),
    ).rejects.toThrow(
      "kubernetes/apps/shop/namespace.yaml records group:default/team-shop as the namespace's owner: a workload of group:default/team-other cannot be added to it",
    );
    expect(await branchExists('openebs-workload-shop-basket')).toBe(false);
  });
});
