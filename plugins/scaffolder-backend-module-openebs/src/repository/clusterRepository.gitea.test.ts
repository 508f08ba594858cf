import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { parse } from 'yaml';
import {
  branchExists,
  cloneBranch,
  GITEA_START_TIMEOUT_MS,
  LabGitea,
  pushToMain,
  startGitea,
} from '../__testUtils__/gitea';
import {
  fluxShapedNamespace,
  sopsConfig,
  workloadTemplate,
} from '../__testUtils__/workloadTemplate';
import { readSopsMetadata } from '../sops/SopsYaml';

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
  let runTemplate: ReturnType<typeof workloadTemplate>;
  const EXISTING: Record<string, string> = {
    ...fluxShapedNamespace('shop', 'group:default/team-shop'),
    'kubernetes/apps/shop/orders/ks.yaml': 'kind: Kustomization # orders\n',
    'kubernetes/apps/shop/payments/ks.yaml': 'kind: Kustomization # payments\n',
  };

  beforeAll(async () => {
    gitea = await startGitea();
    clusterKey = await identityToRecipient(await generateX25519Identity());
    formKey = await identityToRecipient(await generateX25519Identity());
    EXISTING['.sops.yaml'] = sopsConfig(clusterKey);
    await pushToMain(gitea, EXISTING);
    runTemplate = workloadTemplate(gitea);
  }, GITEA_START_TIMEOUT_MS);

  afterAll(async () => {
    await gitea?.stop();
  }, 60_000);

  const run = (name: string, owner: string) =>
    runTemplate({
      name,
      namespace: 'shop',
      owner,
      recipient: formKey,
      secretValue: 's3cret',
    });

  it('adds the workload and keeps every app, field, label and key the repository has', async () => {
    const { diff, branchName } = await run('cart', 'group:default/team-shop');
    const dir = await cloneBranch(gitea, branchName);
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
    expect(kustomization).toContain('# Apps of the team');

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
    await expect(run('orders', 'group:default/team-shop')).rejects.toThrow(
      'kubernetes/apps/shop/orders already exists in the repository (kubernetes/apps/shop/orders/ks.yaml): choose another name',
    );
    expect(await branchExists(gitea, 'openebs-workload-shop-orders')).toBe(
      false,
    );
  });

  it("refuses a namespace the repository records as another team's, and opens nothing", async () => {
    await expect(run('basket', 'group:default/team-other')).rejects.toThrow(
      "kubernetes/apps/shop/namespace.yaml records group:default/team-shop as the namespace's owner: a workload of group:default/team-other cannot be added to it",
    );
    expect(await branchExists(gitea, 'openebs-workload-shop-basket')).toBe(
      false,
    );
  });
});
