import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  LabAdmin,
  labEnvFile,
  parseEnvFile,
} from '@openebs-portal/lab-testkit';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { stringify } from 'yaml';
import { claimClassTemplate } from '../__testUtils__/claimClassTemplate';
import {
  giteaApi,
  LabGitea,
  pushToMain,
  startGitea,
} from '../__testUtils__/gitea';
import {
  fluxShapedNamespace,
  sopsConfig,
  workloadTemplate,
} from '../__testUtils__/workloadTemplate';

const run = promisify(execFile);

/** lab/scripts/flux.sh, from this package's src/repository. */
// Test helper: finds the lab scripts in the source tree, never built.
// eslint-disable-next-line no-restricted-syntax
const FLUX_SCRIPT = resolve(__dirname, '../../../../lab/scripts/flux.sh');
/** A cold build of source- and kustomize-controller: minutes on 2 cores. */
const FLUX_START_TIMEOUT_MS = 30 * 60 * 1000;
const RECONCILE_TIMEOUT_MS = 120_000;

jest.setTimeout(RECONCILE_TIMEOUT_MS * 2);

const yamlOf = (...docs: object[]) =>
  docs.map(d => `---\n${stringify(d)}`).join('');

/** A Flux Kustomization in flux-system, as an operator's repository has them. */
function fluxKustomization(name: string, path: string, extra: object = {}) {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: {
      interval: '10m',
      path,
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      ...extra,
    },
  };
}

/** An app that is only a ConfigMap: enough to see whether Flux keeps it. */
function configMapApp(namespace: string, app: string) {
  return {
    [`kubernetes/apps/${namespace}/${app}/ks.yaml`]: yamlOf(
      fluxKustomization(
        `${namespace}-${app}`,
        `./kubernetes/apps/${namespace}/${app}/app`,
        {
          targetNamespace: namespace,
        },
      ),
    ),
    [`kubernetes/apps/${namespace}/${app}/app/kustomization.yaml`]:
      'resources:\n  - ./configmap.yaml\n',
    [`kubernetes/apps/${namespace}/${app}/app/configmap.yaml`]: yamlOf({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${app}-config` },
      data: { app },
    }),
  };
}

/** An app that is only a claim, on a class other than OpenEBS's. */
function claimApp(namespace: string, app: string, claim: string) {
  return {
    [`kubernetes/apps/${namespace}/${app}/ks.yaml`]: yamlOf(
      fluxKustomization(
        `${namespace}-${app}`,
        `./kubernetes/apps/${namespace}/${app}/app`,
        { targetNamespace: namespace },
      ),
    ),
    [`kubernetes/apps/${namespace}/${app}/app/kustomization.yaml`]:
      'resources:\n  - ./claim.yaml\n',
    [`kubernetes/apps/${namespace}/${app}/app/claim.yaml`]: [
      '# The files of the app, on the class it started on.',
      'apiVersion: v1',
      'kind: PersistentVolumeClaim',
      'metadata:',
      `  name: ${claim}`,
      'spec:',
      '  storageClassName: lab-local-static',
      '  accessModes: [ReadWriteOnce]',
      '  resources:',
      '    requests:',
      '      storage: 1Gi',
      '',
    ].join('\n'),
  };
}

/**
 * The whole GitOps loop on the real Flux controllers (lab/scripts/flux.sh:
 * source-controller and kustomize-controller built from their Go modules)
 * against the lab's apiserver: a cluster repository in a real Gitea that Flux
 * already reconciles (a root Kustomization with prune, a namespace with two
 * apps, SOPS with the cluster's age key), the workload template's pull
 * request merged, and Flux applying it. The other apps must survive the
 * prune, and the Secret must decrypt with the cluster's key.
 */
describe('the workload template, merged, reconciled by real Flux', () => {
  const labState = dirname(labEnvFile());
  const admin = new LabAdmin();
  // Names of this run: Flux objects of an earlier run in the same lab (a
  // developer's) may still be waiting on their health checks.
  const runId = Date.now().toString(36);
  const namespace = `gitops-${runId}`;
  const app = `cart-${runId}`;
  const claimName = 'files-data';
  let gitea: LabGitea;
  let formKey: string;

  async function get(path: string) {
    return admin.request('GET', path).catch(e => {
      if (e?.statusCode === 404) return undefined;
      throw e;
    });
  }

  /** Asks Flux to look now rather than at its next interval. */
  async function reconcileNow() {
    const requestedAt = new Date().toISOString();
    for (const path of [
      '/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/flux-system',
      '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps',
    ]) {
      await admin.request(
        'PATCH',
        path,
        {
          metadata: {
            annotations: { 'reconcile.fluxcd.io/requestedAt': requestedAt },
          },
        },
        'application/merge-patch+json',
      );
    }
  }

  /** Merges a pull request through Gitea's API; main's commit after it. */
  async function merge(pullRequestNumber: number): Promise<string> {
    const repo = `/repos/${gitea.owner}/${gitea.repo}`;
    await giteaApi(gitea, 'POST', `${repo}/pulls/${pullRequestNumber}/merge`, {
      Do: 'merge',
    });
    return (await giteaApi(gitea, 'GET', `${repo}/branches/main`)).commit.id;
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>) {
    const deadline = Date.now() + RECONCILE_TIMEOUT_MS;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) {
        const logs = await run('tail', [
          '-n',
          '30',
          `${labState}/logs/kustomize-controller.log`,
        ]).catch(() => ({ stdout: '' }));
        throw new Error(
          `Flux did not ${what} within ${
            RECONCILE_TIMEOUT_MS / 1000
          } s; kustomize-controller's log ends:\n${logs.stdout}`,
        );
      }
      await new Promise(r => setTimeout(r, 1000));
    }
  }

  /** This run's Secret in flux-system (an earlier run's may be there). */
  async function replaceSecret(
    name: string,
    stringData: Record<string, string>,
  ) {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'flux-system' },
      stringData,
    };
    await admin.remove(secret);
    await admin.create(secret);
  }

  const configMap = (name: string) =>
    get(`/api/v1/namespaces/${namespace}/configmaps/${name}`);
  const claim = () =>
    get(`/api/v1/namespaces/${namespace}/persistentvolumeclaims/${claimName}`);

  beforeAll(async () => {
    const [started, flux] = await Promise.all([
      startGitea(),
      run(FLUX_SCRIPT, ['up', labState], {
        timeout: FLUX_START_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      }),
    ]);
    gitea = started;
    const controllers = parseEnvFile(flux.stdout).LAB_FLUX_CONTROLLERS;
    if (controllers !== 'source-controller kustomize-controller') {
      throw new Error(`flux.sh up started ${controllers}:\n${flux.stderr}`);
    }

    // The cluster's age key, as `flux bootstrap` users keep it: a Secret
    // the Kustomizations' decryption names.
    const identity = await generateX25519Identity();
    const clusterKey = await identityToRecipient(identity);
    formKey = await identityToRecipient(await generateX25519Identity());
    await replaceSecret('sops-age', { 'age.agekey': `${identity}\n` });
    await replaceSecret('gitea-auth', {
      username: gitea.username,
      password: gitea.token,
    });

    const namespaceFiles = fluxShapedNamespace(
      namespace,
      'group:default/team-shop',
    );
    const listing = `kubernetes/apps/${namespace}/kustomization.yaml`;
    namespaceFiles[listing] = namespaceFiles[listing].replace(
      '  - ./payments/ks.yaml\n',
      '  - ./payments/ks.yaml\n  - ./files/ks.yaml\n',
    );
    await pushToMain(gitea, {
      '.sops.yaml': sopsConfig(clusterKey),
      'kubernetes/apps/kustomization.yaml': `resources:\n  - ./platform.yaml\n  - ./${namespace}\n`,
      // The platform Kustomization the workload depends on.
      'kubernetes/apps/platform.yaml': yamlOf(
        fluxKustomization('openebs', './kubernetes/platform/openebs'),
      ),
      'kubernetes/platform/openebs/kustomization.yaml':
        'resources:\n  - ./marker.yaml\n',
      'kubernetes/platform/openebs/marker.yaml': yamlOf({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'openebs-platform-marker', namespace: 'flux-system' },
      }),
      ...namespaceFiles,
      ...configMapApp(namespace, 'orders'),
      ...configMapApp(namespace, 'payments'),
      ...claimApp(namespace, 'files', claimName),
    });
    // What `flux bootstrap` would have created: the repository and the root.
    await admin.apply({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'flux-system', namespace: 'flux-system' },
      spec: {
        interval: '10m',
        url: `${gitea.url}/${gitea.owner}/${gitea.repo}.git`,
        ref: { branch: 'main' },
        secretRef: { name: 'gitea-auth' },
      },
    });
    await admin.apply(
      fluxKustomization('apps', './kubernetes/apps', {
        decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
      }),
    );
    await until('apply the existing apps', async () =>
      (await configMap('orders-config')) &&
      (await configMap('payments-config')) &&
      (await claim())
        ? true
        : undefined,
    );
  }, FLUX_START_TIMEOUT_MS);

  afterAll(async () => {
    // Deleting the root with prune removes what it applied.
    await admin
      .remove(fluxKustomization('apps', './kubernetes/apps'))
      .catch(() => {});
    await gitea?.stop();
    admin.close();
  }, 60_000);

  it('applies the new workload with its decrypted Secret and keeps the other apps', async () => {
    const { pullRequestNumber } = await workloadTemplate(gitea)({
      name: app,
      namespace,
      owner: 'group:default/team-shop',
      recipient: formKey,
      secretValue: 's3cret',
    });
    const merged = Date.now();
    const head = await merge(pullRequestNumber);
    await reconcileNow();

    // Flux's Kustomization for the app, created from ks.yaml, at the merge.
    const ks = await until(
      `create and apply the ${app} Kustomization`,
      async () => {
        const k = await get(
          `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/${app}`,
        );
        return k?.status?.lastAttemptedRevision?.endsWith(head) ? k : undefined;
      },
    );
    expect(ks.spec).toMatchObject({ targetNamespace: namespace, prune: true });

    // The app's objects, applied by kustomize-controller: the StatefulSet on
    // the OpenEBS class, and the Secret decrypted with the cluster's key (the
    // template encrypted for the repository's .sops.yaml as well as the form).
    const statefulSet = await until('apply the StatefulSet', () =>
      get(`/apis/apps/v1/namespaces/${namespace}/statefulsets/${app}`),
    );
    const appliedMs = Date.now() - merged;
    expect(statefulSet.spec.volumeClaimTemplates[0].spec.storageClassName).toBe(
      'openebs-localpv-hostpath',
    );
    expect(statefulSet.metadata.labels).toMatchObject({
      'backstage.io/kubernetes-id': app,
    });
    const secret = await get(
      `/api/v1/namespaces/${namespace}/secrets/${app}-auth`,
    );
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe(
      's3cret',
    );

    // The namespace gained its annotations and kept its label; the other
    // apps survived the root's prune.
    const ns = await get(`/api/v1/namespaces/${namespace}`);
    expect(ns.metadata.labels).toMatchObject({ team: namespace });
    expect(ns.metadata.annotations).toMatchObject({
      'openebs-portal.dev/owner': 'group:default/team-shop',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
    expect(await configMap('orders-config')).toBeDefined();
    expect(await configMap('payments-config')).toBeDefined();
    process.stderr.write(
      `[gitops] merge to applied on real Flux: ${(appliedMs / 1000).toFixed(
        1,
      )} s\n`,
    );
  });

  it("decrypts with the controller's key where the repository keeps it there", async () => {
    // flux.sh starts kustomize-controller with --sops-age-secret=sops-age:
    // a Kustomization that names no Secret decrypts with that one.
    const second = `${app}-b`;
    const { pullRequestNumber } = await workloadTemplate(gitea)({
      name: second,
      namespace,
      owner: 'group:default/team-shop',
      recipient: formKey,
      secretValue: 'c0ntroller',
      sopsDecryption: 'controller',
    });
    await merge(pullRequestNumber);
    await reconcileNow();
    const ks = await until(`create the ${second} Kustomization`, () =>
      get(
        `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/${second}`,
      ),
    );
    expect(ks.spec.decryption).toEqual({ provider: 'sops' });
    const secret = await until(`apply the ${second} Secret`, () =>
      get(`/api/v1/namespaces/${namespace}/secrets/${second}-auth`),
    );
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe(
      'c0ntroller',
    );
    // The first app and the others are still there.
    expect(
      await get(`/apis/apps/v1/namespaces/${namespace}/statefulsets/${app}`),
    ).toBeDefined();
    expect(await configMap('orders-config')).toBeDefined();
  });

  it('applies a migrated claim again once the claim-class pull request is merged, leaving the claim as it is', async () => {
    const ksPath = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/${namespace}-files`;
    const claimPath = `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${claimName}`;
    const reconcileFiles = async () => {
      await reconcileNow();
      await admin.request(
        'PATCH',
        ksPath,
        {
          metadata: {
            annotations: {
              'reconcile.fluxcd.io/requestedAt': new Date().toISOString(),
            },
          },
        },
        'application/merge-patch+json',
      );
    };
    const ready = (ks: any) =>
      ks?.status?.conditions?.find((c: any) => c.type === 'Ready');

    // The claim as the portal's migration leaves it: the same name (and
    // Flux's labels), on the OpenEBS class, bound to the new volume. No
    // controller-manager runs in this lab to remove the protection
    // finalizer, so the test does.
    const before = await claim();
    const volumeName = `pvc-migrated-${runId}`;
    await admin.request(
      'PATCH',
      claimPath,
      { metadata: { finalizers: null } },
      'application/merge-patch+json',
    );
    await admin.request('DELETE', claimPath);
    await until('see the old claim go', async () =>
      (await claim()) ? undefined : true,
    );
    await admin.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName,
        namespace,
        labels: before.metadata.labels,
      },
      spec: {
        storageClassName: 'openebs-localpv-hostpath',
        volumeName,
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
    });
    const migrated = await claim();

    // What the runbook warns of: the repository's old class fails every
    // reconcile of the app, on the claim's immutable spec.
    await reconcileFiles();
    const failing = await until('fail on the immutable claim', async () => {
      const condition = ready(await get(ksPath));
      return condition?.status === 'False' &&
        /immutable/.test(condition.message)
        ? condition
        : undefined;
    });
    expect(failing.message).toContain(claimName);

    const { diff, changed, pullRequestNumber } = await claimClassTemplate(
      gitea,
    )({
      namespace,
      claim: claimName,
      targetClass: 'openebs-localpv-hostpath',
      volumeName,
    });
    // Two lines of one file, the comment and the rest as they were.
    expect(changed).toEqual([
      `kubernetes/apps/${namespace}/files/app/claim.yaml`,
    ]);
    expect(diff.split('\n').filter(l => /^[-+][^-+]/.test(l))).toEqual([
      '-  storageClassName: lab-local-static',
      '+  storageClassName: openebs-localpv-hostpath',
      `+  volumeName: ${volumeName}`,
    ]);
    const head = await merge(pullRequestNumber);
    await reconcileFiles();
    await until('apply the merged claim', async () => {
      const ks = await get(ksPath);
      return ready(ks)?.status === 'True' &&
        ks.status.lastAppliedRevision?.endsWith(head)
        ? true
        : undefined;
    });
    // The same claim: not recreated, its spec as the migration left it.
    const after = await claim();
    expect(after.metadata.uid).toBe(migrated.metadata.uid);
    expect(after.spec).toMatchObject({
      storageClassName: 'openebs-localpv-hostpath',
      volumeName,
    });
  });
});
