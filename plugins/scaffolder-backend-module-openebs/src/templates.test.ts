import { readFileSync } from 'node:fs';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import Router from 'express-promise-router';
import { resolve } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { parseAllDocuments, parseDocument } from 'yaml';
import { scaffolderDryRun } from './__testUtils__/scaffolderDryRun';
import { decryptYamlDocument } from './sops/SopsYaml';
import { DRY_RUN_PLACEHOLDER } from './actions/sopsEncrypt';

const TEMPLATES = resolve(__dirname, '../../../templates');

// Each test starts a scaffolder backend: seconds, more on 2 busy cores.
jest.setTimeout(60_000);

/** A Gitea integration where nothing listens: dry runs cannot read it. */
const NO_GITEA = {
  integrations: {
    gitea: [
      {
        host: '127.0.0.1:3300',
        baseUrl: 'http://127.0.0.1:3300',
        username: 'portal',
        password: 'not-a-real-token',
      },
    ],
  },
};

function loadTemplate(name: string) {
  return parseDocument(
    readFileSync(resolve(TEMPLATES, name, 'template.yaml'), 'utf8'),
  ).toJS();
}

/** A plan as the storage backend answers one (its shape, not its logic). */
const CNPG_PLAN = {
  namespace: 'orders',
  cluster: 'orders',
  target: { name: 'orders-openebs', storageClass: 'openebs-localpv-hostpath' },
  existingPatch: 'spec:\n  replica:\n    primary: orders\n',
  replicaCluster: 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\n',
  switchover: [],
  rollback: [],
};

/** The templates in the repository, through the real scaffolder's dry run. */
/**
 * A stand-in `openebs-storage` plugin in the dry run's backend: it records
 * each request's path and principal and answers `body`.
 */
function standInStorage(body: unknown) {
  const asked: Array<{ url: string; principal: unknown }> = [];
  const storage = createBackendPlugin({
    pluginId: 'openebs-storage',
    register(reg) {
      reg.registerInit({
        deps: {
          router: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ router, httpAuth }) {
          const app = Router();
          app.get(/.*/, async (req, res) => {
            const credentials = await httpAuth.credentials(req, {
              allow: ['user'],
            });
            asked.push({ url: req.url, principal: credentials.principal });
            res.json(body);
          });
          router.use(app);
        },
      });
    },
  });
  return { asked, storage };
}

describe('templates/ through the scaffolder dry run', () => {
  let identity: string;
  let recipient: string;

  beforeAll(async () => {
    identity = await generateX25519Identity();
    recipient = await identityToRecipient(identity);
  });

  function dryRun(
    template: unknown,
    values: Record<string, unknown>,
    secrets: Record<string, string>,
    config: Record<string, unknown> = {},
  ) {
    return scaffolderDryRun({
      template,
      values,
      secrets,
      config: {
        openebsScaffolder: { sopsAgeRecipients: [recipient] },
        ...config,
      },
    });
  }

  it('openebs-workload: a StatefulSet with a secret', async () => {
    const { res, files, log } = await dryRun(
      loadTemplate('openebs-workload'),
      {
        name: 'notes',
        owner: 'group:default/team-tools',
        namespace: 'tools',
        kind: 'statefulset',
        image: 'ghcr.io/example/notes:1.4.2',
        port: 3000,
        mountPath: '/data',
        storageClass: 'openebs-localpv-hostpath',
        size: '5Gi',
        // Not the plan's default: a Velero Schedule of the workload's own.
        backupSchedule: '0 3 * * *',
        backupTtl: '168h0m0s',
        secretName: 'notes-env',
        secretKey: 'API_TOKEN',
        databaseEngine: 'postgresql',
      },
      { secretValue: 'hunter2-very-secret' },
    );
    expect({
      status: res.status,
      body: res.status === 200 ? 'ok' : res.body,
    }).toEqual({
      status: 200,
      body: 'ok',
    });
    expect(Object.keys(files).sort()).toEqual([
      'kubernetes/apps/tools/kustomization.yaml',
      'kubernetes/apps/tools/namespace.yaml',
      'kubernetes/apps/tools/notes/app/kustomization.yaml',
      'kubernetes/apps/tools/notes/app/notes-env.sops.yaml',
      'kubernetes/apps/tools/notes/app/service.yaml',
      'kubernetes/apps/tools/notes/app/statefulset.yaml',
      'kubernetes/apps/tools/notes/backup/kustomization.yaml',
      'kubernetes/apps/tools/notes/backup/schedule.yaml',
      'kubernetes/apps/tools/notes/catalog-info.yaml',
      'kubernetes/apps/tools/notes/ks.yaml',
      'kubernetes/apps/tools/notes/monitoring/kustomization.yaml',
      'kubernetes/apps/tools/notes/monitoring/prometheusrule.yaml',
    ]);
    // The database's hooks, in its own container, dumping onto its volume.
    const annotations = parseDocument(
      files['kubernetes/apps/tools/notes/app/statefulset.yaml'],
    ).toJS().spec.template.metadata.annotations;
    expect(annotations['pre.hook.backup.velero.io/container']).toBe('notes');
    expect(annotations['pre.hook.backup.velero.io/command']).toContain(
      '/data/velero-dump.sql.partial',
    );
    // A dry run never reads the secret: placeholders, encrypted for the
    // configured recipient.
    const secret = await decryptYamlDocument(
      files['kubernetes/apps/tools/notes/app/notes-env.sops.yaml'],
      [identity],
    );
    expect(secret.toJS().stringData).toEqual({
      API_TOKEN: DRY_RUN_PLACEHOLDER,
    });
    expect(log).not.toContain('hunter2');
    expect(JSON.stringify(files)).not.toContain('hunter2');
    const sts = parseAllDocuments(
      files['kubernetes/apps/tools/notes/app/statefulset.yaml'],
    )[0].toJS();
    expect(sts.spec.template.spec.containers[0].envFrom).toEqual([
      { secretRef: { name: 'notes-env' } },
    ]);
    // Without a repository, publishing and registration are skipped.
    expect(log).toContain('manifests valid');
  });

  it('openebs-workload: a Helm chart without a secret', async () => {
    const { res, files } = await dryRun(
      loadTemplate('openebs-workload'),
      {
        name: 'shop-db',
        // The OwnerPicker may give a short ref.
        owner: 'team-shop',
        namespace: 'shop',
        kind: 'helm',
        chartRepository: 'https://charts.example.com',
        chartName: 'postgresql',
        chartVersion: '16.7.4',
        persistenceValuesPath: 'primary.persistence',
        storageClass: 'openebs-localpv-device',
        size: '20Gi',
        backupSchedule: '0 2 * * *',
        backupTtl: '720h0m0s',
      },
      {},
    );
    expect(res.status).toBe(200);
    expect(Object.keys(files)).toContain(
      'kubernetes/apps/shop/shop-db/app/helmrepository.yaml',
    );
    expect(Object.keys(files).some(f => f.endsWith('.sops.yaml'))).toBe(false);
    // The namespace names its owner in full: the portal's restore tenancy
    // reads it.
    expect(
      parseAllDocuments(files['kubernetes/apps/shop/namespace.yaml'])[0].toJS()
        .metadata,
    ).toEqual({
      name: 'shop',
      annotations: {
        'openebs-portal.dev/owner': 'group:default/team-shop',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      },
    });
  });

  it('openebs-workload: publishing to a Gitea host, dry run', async () => {
    const { res, log } = await dryRun(
      loadTemplate('openebs-workload'),
      {
        name: 'notes',
        owner: 'group:default/team-tools',
        namespace: 'tools',
        kind: 'statefulset',
        image: 'ghcr.io/example/notes:1.4.2',
        storageClass: 'openebs-localpv-hostpath',
        size: '5Gi',
        backupSchedule: '0 2 * * *',
        backupTtl: '720h0m0s',
        publish: true,
        repoUrl: '127.0.0.1:3300?owner=platform&repo=cluster',
        targetBranch: 'main',
      },
      {},
      NO_GITEA,
    );
    expect({
      status: res.status,
      body: res.status === 200 ? 'ok' : res.body,
    }).toEqual({ status: 200, body: 'ok' });
    // The host picks the Gitea action (run as a dry run: no request is
    // made, nothing listens on that port) and skips GitHub's.
    expect(log).toContain(
      'Dry run: would propose 7 files to platform/cluster on 127.0.0.1:3300 as branch openebs-workload-tools-notes',
    );
    expect(log).toContain(
      'Skipping step github because its if condition was false',
    );
    // Nothing listens there: the dry run says its diff is not the real one.
    expect(log).toContain(
      'main of platform/cluster on 127.0.0.1:3300 could not be read in this dry run',
    );
    // Registration names catalog-info.yaml on the target branch, where it
    // lives once merged (not on the pull request's branch, which goes).
    expect(log).toContain(
      '\\"catalogInfoUrl\\": \\"http://127.0.0.1:3300/platform/cluster/src/branch/main/kubernetes/apps/tools/notes/catalog-info.yaml\\"',
    );
    expect(log).not.toContain('not-a-real-token');
  });

  it('openebs-workload: publishing to github.com picks the GitHub action', async () => {
    const { res, log } = await dryRun(
      loadTemplate('openebs-workload'),
      {
        name: 'notes',
        owner: 'group:default/team-tools',
        namespace: 'tools',
        kind: 'statefulset',
        image: 'ghcr.io/example/notes:1.4.2',
        storageClass: 'openebs-localpv-hostpath',
        size: '5Gi',
        publish: true,
        repoUrl: 'github.com?owner=example&repo=cluster',
        // The form sends its default.
        targetBranch: 'main',
      },
      {},
      // GitHub's action wants a token even in a dry run (it sends nothing).
      {
        integrations: {
          github: [{ host: 'github.com', token: 'not-a-token' }],
        },
      },
    );
    expect({
      status: res.status,
      body: res.status === 200 ? 'ok' : res.body,
    }).toEqual({ status: 200, body: 'ok' });
    expect(log).toContain(
      'Skipping step gitea because its if condition was false',
    );
    expect(log).toContain(
      'Running publish:github:pull-request in dry-run mode',
    );
    expect(log).toContain(
      '\\"catalogInfoUrl\\": \\"https://github.com/example/cluster/blob/main/kubernetes/apps/tools/notes/catalog-info.yaml\\"',
    );
  });

  it('openebs-velero-platform: the whole platform', async () => {
    const { res, files, log } = await dryRun(
      loadTemplate('openebs-velero-platform'),
      {
        deviceClass: true,
        volumeGroup: 'lvmvg',
        memoryLimit: '256Mi',
        s3Url: 'https://s3.68cc.io',
        bucket: 'openebs-backups',
        unprotectedFor: '45m',
        scheduleGrace: '30m',
      },
      { s3AccessKeyId: 'AKIAPLATFORM', s3SecretAccessKey: 'platform-secret' },
    );
    expect({
      status: res.status,
      body: res.status === 200 ? 'ok' : res.body,
    }).toEqual({
      status: 200,
      body: 'ok',
    });
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        '.sops.yaml',
        'kubernetes/apps/kube-system/openebs/ks.yaml',
        'kubernetes/apps/kube-system/openebs/app/storageclass-device.yaml',
        'kubernetes/apps/storage/velero/ks.yaml',
        'kubernetes/apps/storage/velero/app/helmrelease.yaml',
        'kubernetes/apps/storage/velero/app/velero-s3-secret.sops.yaml',
      ]),
    );
    const secret = await decryptYamlDocument(
      files['kubernetes/apps/storage/velero/app/velero-s3-secret.sops.yaml'],
      [identity],
    );
    expect(secret.toJS().stringData).toEqual({
      S3_ACCESS_KEY_ID: DRY_RUN_PLACEHOLDER,
      S3_SECRET_ACCESS_KEY: DRY_RUN_PLACEHOLDER,
      S3_ENDPOINT: 'https://s3.68cc.io',
      S3_BUCKET: 'openebs-backups',
      cloud: `[default]\naws_access_key_id=${DRY_RUN_PLACEHOLDER}\naws_secret_access_key=${DRY_RUN_PLACEHOLDER}\n`,
    });
    expect(log).not.toContain('AKIAPLATFORM');
    expect(log).not.toContain('platform-secret');
    expect(log).toContain('manifests valid');
    // The Alerts page's windows reach the portal's rules; unset, an hour.
    const portalRules = parseDocument(
      files[
        'kubernetes/apps/kube-system/openebs/monitoring/portal-prometheusrule.yaml'
      ],
    ).toJS().spec.groups[0].rules;
    expect(
      Object.fromEntries(
        portalRules
          .filter((r: any) => /Unprotected|Unverified/.test(r.alert))
          .map((r: any) => [r.alert, r.for]),
      ),
    ).toEqual({
      OpenEBSEntityVolumesUnprotected: '45m',
      OpenEBSEntityUnverified: '1h',
    });
    const veleroRules = parseDocument(
      files['kubernetes/apps/storage/velero/app/helmrelease.yaml'],
    ).toJS().spec.values.metrics.prometheusRule.spec;
    expect(
      veleroRules.find((r: any) => r.alert === 'VeleroNoRecentBackup').expr,
    ).toContain('velero:schedule_interval_seconds + 1800)');
  });

  it('openebs-claim-class: reads kubernetes/apps/<namespace> unless told, and fails, proposing nothing, without a manifest of the claim', async () => {
    // Nothing listens on that port: the dry run reads an empty branch.
    const { res } = await dryRun(
      loadTemplate('openebs-claim-class'),
      {
        namespace: 'shop',
        claim: 'cart-data',
        targetClass: 'openebs-hostpath',
        volumeName: 'pvc-0a1b',
        repoUrl: '127.0.0.1:3300?owner=platform&repo=cluster',
        targetBranch: 'main',
      },
      {},
      NO_GITEA,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'kubernetes/apps/shop: no files there (the branch has none under it, or openebs:repository:read did not read it)',
    );
    expect(JSON.stringify(res.body)).not.toContain('not-a-real-token');
  });

  it("openebs-cnpg-replica: asks the storage backend for the plan as the user who runs it, then reads the namespace's manifests", async () => {
    const { asked, storage } = standInStorage(CNPG_PLAN);
    const { res } = await scaffolderDryRun({
      template: loadTemplate('openebs-cnpg-replica'),
      values: {
        entityRef: 'component:default/legacy-orders-db',
        cluster: 'lab',
        namespace: 'orders',
        database: 'orders',
        targetClass: 'openebs-localpv-hostpath',
        repoUrl: '127.0.0.1:3300?owner=platform&repo=cluster',
        targetBranch: 'main',
      },
      config: NO_GITEA,
      features: [storage],
    });
    expect(asked).toEqual([
      {
        url: '/entities/component/default/legacy-orders-db/databases/lab/orders/orders/migration-plan?targetClass=openebs-localpv-hostpath',
        principal: expect.objectContaining({
          type: 'user',
          userEntityRef: mockCredentials.user().principal.userEntityRef,
        }),
      },
    ]);
    // Nothing listens on that port: the dry run reads an empty branch.
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'kubernetes/apps/orders: no files there (the branch has none under it, or openebs:repository:read did not read it)',
    );
  });

  it('openebs-cnpg-primary: asks the live Clusters as the user who runs it, and refuses a hand-over they have not made, proposing nothing', async () => {
    const database = (name: string, replicaOf?: string) => ({
      namespace: 'orders',
      name,
      instances: 1,
      readyInstances: 1,
      claims: [`${name}-1`],
      replicaOf,
    });
    const { asked, storage } = standInStorage({
      entityRef: 'component:default/legacy-orders-db',
      clusters: [
        {
          cluster: 'lab',
          databases: [database('orders'), database('orders-openebs', 'orders')],
        },
      ],
    });
    const { res } = await scaffolderDryRun({
      template: loadTemplate('openebs-cnpg-primary'),
      values: {
        entityRef: 'component:default/legacy-orders-db',
        cluster: 'lab',
        namespace: 'orders',
        primary: 'orders-openebs',
        replica: 'orders',
        repoUrl: '127.0.0.1:3300?owner=platform&repo=cluster',
        targetBranch: 'main',
      },
      config: NO_GITEA,
      features: [storage],
    });
    expect(asked).toEqual([
      {
        url: '/entities/component/default/legacy-orders-db/storage',
        principal: expect.objectContaining({ type: 'user' }),
      },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'The hand-over to orders-openebs has not happened (orders-openebs follows orders, orders is primary)',
    );
  });
});
