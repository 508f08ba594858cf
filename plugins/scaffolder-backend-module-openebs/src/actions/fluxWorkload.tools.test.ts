import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { createWorkspace, runAction } from '../__testUtils__/actionContext';
import { expectMatchesGolden } from '../__testUtils__/golden';
import {
  kustomizeBuild,
  requireTool,
  TOOL_BUILD_TIMEOUT_MS,
} from '../__testUtils__/tools';
import { NAMESPACE_OWNER_ANNOTATION } from '../flux/WorkloadGenerator';
import { createFluxWorkloadAction } from './fluxWorkload';
import { listFiles } from './workspace';

const HELM_INPUT = {
  name: 'shop-db',
  namespace: 'shop',
  owner: 'group:default/team-shop',
  system: 'system:default/shop',
  description: 'PostgreSQL for the shop',
  size: '10Gi',
  kind: 'helm',
  chart: {
    repository: 'oci://registry-1.docker.io/bitnamicharts',
    name: 'postgresql',
    version: '16.7.4',
    values: { auth: { existingSecret: 'shop-db-credentials' } },
    persistenceValuesPath: 'primary.persistence',
  },
  secretName: 'shop-db-credentials',
  // The chart's container, and its volume's mount (Bitnami's layout).
  database: {
    engine: 'postgresql',
    container: 'postgresql',
    dumpDir: '/bitnami/postgresql',
  },
};

const STATEFULSET_INPUT = {
  name: 'notes',
  namespace: 'tools',
  owner: 'group:default/team-tools',
  size: '5Gi',
  storageClass: 'openebs-localpv-device',
  kind: 'statefulset',
  image: 'ghcr.io/example/notes:1.4.2',
  port: 3000,
  mountPath: '/var/lib/notes',
  // Not the plan's default: the workload gets a Velero Schedule of its own.
  backup: {
    enabled: true,
    schedule: '30 3 * * *',
    ttl: '168h0m0s',
    drill: 'daily',
    drillVerify: 'test -s /var/lib/notes/notes.db',
  },
};

describe('openebs:flux:workload', () => {
  const action = createFluxWorkloadAction();
  let kustomize: string;

  beforeAll(() => {
    kustomize = requireTool('kustomize');
  }, TOOL_BUILD_TIMEOUT_MS);

  it('writes a Helm workload (OCI chart) that matches its golden tree and builds', async () => {
    const workspacePath = await createWorkspace();
    const { outputs } = await runAction(action, {
      input: HELM_INPUT,
      workspacePath,
    });
    expect(outputs).toMatchObject({
      ksPath: 'kubernetes/apps/shop/shop-db/ks.yaml',
      appPath: 'kubernetes/apps/shop/shop-db/app',
      catalogInfoPath: 'kubernetes/apps/shop/shop-db/catalog-info.yaml',
      secretPath:
        'kubernetes/apps/shop/shop-db/app/shop-db-credentials.sops.yaml',
    });
    await expectMatchesGolden('workload-helm', workspacePath);

    // The SOPS Secret is written by openebs:sops:encrypt; stand in for it.
    await fs.writeFile(
      join(workspacePath, outputs.secretPath as string),
      '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-db-credentials\n',
    );
    const app = kustomizeBuild(
      kustomize,
      join(workspacePath, 'kubernetes/apps/shop/shop-db/app'),
    );
    expect(app.map(o => `${o.apiVersion}/${o.kind}`).sort()).toEqual([
      'helm.toolkit.fluxcd.io/v2/HelmRelease',
      'source.toolkit.fluxcd.io/v1/OCIRepository',
      'v1/Secret',
    ]);
    const release = app.find(o => o.kind === 'HelmRelease');
    expect(release.spec.values.primary.persistence).toEqual({
      enabled: true,
      storageClass: 'openebs-localpv-hostpath',
      size: '10Gi',
    });
    expect(release.spec.values.auth).toEqual({
      existingSecret: 'shop-db-credentials',
    });

    // The plan's default backup: the platform's daily schedule selects the
    // pods by label; no Schedule of its own.
    expect(release.spec.postRenderers[0].kustomize.patches[0].patch).toContain(
      'backup.openebs-portal.io~1schedule',
    );
    const ns = kustomizeBuild(
      kustomize,
      join(workspacePath, 'kubernetes/apps/shop'),
    );
    expect(ns.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/shop',
      'Kustomization/shop-db',
    ]);
    // The owner, for the portal's restore tenancy; never pruned by Flux.
    expect(ns[0].metadata.annotations).toEqual({
      'openebs-portal.dev/owner': 'group:default/team-shop',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
    expect(ns[1].spec).toMatchObject({
      targetNamespace: 'shop',
      path: './kubernetes/apps/shop/shop-db/app',
      dependsOn: [{ name: 'openebs', namespace: 'flux-system' }],
      decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
      commonMetadata: {
        labels: {
          'backstage.io/kubernetes-id': 'shop-db',
          'backup.openebs-portal.io/schedule': 'daily',
        },
      },
    });

    const catalog = parseDocument(
      await fs.readFile(
        join(workspacePath, outputs.catalogInfoPath as string),
        'utf8',
      ),
    ).toJS();
    expect(catalog.metadata.annotations).toEqual({
      'backstage.io/kubernetes-id': 'shop-db',
      'backstage.io/kubernetes-namespace': 'shop',
      // Enrolled for weekly restore drills unless the form says otherwise.
      'openebs.io/restore-drill': 'weekly',
    });
  });

  it("puts the database hooks on the chart's StatefulSet pods, keeping the chart's annotations", async () => {
    const workspacePath = await createWorkspace();
    await runAction(action, { input: HELM_INPUT, workspacePath });
    const release = parseDocument(
      await fs.readFile(
        join(
          workspacePath,
          'kubernetes/apps/shop/shop-db/app/helmrelease.yaml',
        ),
        'utf8',
      ),
    ).toJS();
    // What helm-controller's kustomize post-renderer does, with the real
    // kustomize, on what a chart renders.
    const rendered = join(workspacePath, 'rendered');
    await fs.mkdir(rendered);
    await fs.writeFile(
      join(rendered, 'chart.yaml'),
      [
        'apiVersion: apps/v1',
        'kind: StatefulSet',
        'metadata: {name: shop-db-postgresql}',
        'spec:',
        '  template:',
        '    metadata:',
        '      labels: {app: postgresql}',
        '      annotations: {checksum/config: abc}',
        '    spec: {containers: [{name: postgresql, image: postgres}]}',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: shop-db-postgresql}',
        '',
      ].join('\n'),
    );
    await fs.writeFile(
      join(rendered, 'kustomization.yaml'),
      JSON.stringify({
        resources: ['chart.yaml'],
        patches: release.spec.postRenderers[0].kustomize.patches,
      }),
    );
    const sts = kustomizeBuild(kustomize, rendered).find(
      o => o.kind === 'StatefulSet',
    );
    const annotations = sts.spec.template.metadata.annotations;
    expect(annotations['checksum/config']).toBe('abc');
    expect(annotations).toMatchObject({
      'pre.hook.backup.velero.io/container': 'postgresql',
      'pre.hook.backup.velero.io/on-error': 'Fail',
      'post.hook.restore.velero.io/container': 'postgresql',
    });
    expect(
      JSON.parse(annotations['pre.hook.backup.velero.io/command'])[2],
    ).toContain("> '/bitnami/postgresql/velero-dump.sql.partial'");
    expect(sts.spec.template.metadata.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'shop-db',
    });
  });

  it('hooks a StatefulSet of ours into its own container and volume, and refuses a chart without them', async () => {
    const workspacePath = await createWorkspace();
    await runAction(action, {
      input: { ...STATEFULSET_INPUT, database: { engine: 'postgresql' } },
      workspacePath,
    });
    const sts = kustomizeBuild(
      kustomize,
      join(workspacePath, 'kubernetes/apps/tools/notes/app'),
    ).find(o => o.kind === 'StatefulSet');
    const annotations = sts.spec.template.metadata.annotations;
    expect(annotations['pre.hook.backup.velero.io/container']).toBe('notes');
    expect(
      JSON.parse(annotations['post.hook.restore.velero.io/command'])[2],
    ).toContain("'/var/lib/notes/velero-dump.sql'");

    await expect(
      runAction(action, {
        input: { ...HELM_INPUT, database: { engine: 'postgresql' } },
        workspacePath: await createWorkspace(),
      }),
    ).rejects.toThrow(/container and a directory on its volume/);
    await expect(
      runAction(action, {
        input: {
          ...STATEFULSET_INPUT,
          database: { engine: 'postgresql', dumpDir: "/data'; rm -rf /" },
        },
        workspacePath: await createWorkspace(),
      }),
    ).rejects.toThrow();
  });

  it('writes a StatefulSet workload on the device class that matches its golden tree and builds', async () => {
    const workspacePath = await createWorkspace();
    await runAction(action, { input: STATEFULSET_INPUT, workspacePath });
    await expectMatchesGolden('workload-statefulset', workspacePath);
    const app = kustomizeBuild(
      kustomize,
      join(workspacePath, 'kubernetes/apps/tools/notes/app'),
    );
    const sts = app.find(o => o.kind === 'StatefulSet');
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'openebs-localpv-device',
      resources: { requests: { storage: '5Gi' } },
    });
    // The Storage tab and the Velero Schedule find the pods by this label.
    expect(sts.spec.template.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'notes',
      'backstage.io/kubernetes-id': 'notes',
    });

    const ks = kustomizeBuild(
      kustomize,
      join(workspacePath, 'kubernetes/apps/tools'),
    ).filter(o => o.kind === 'Kustomization');
    expect(ks.map(o => o.metadata.name)).toEqual([
      'notes',
      'notes-backup',
      'notes-monitoring',
    ]);
    expect(ks[1].spec.dependsOn.map((d: any) => d.name)).toEqual([
      'velero',
      'notes',
    ]);
    // The schedule's interval rule needs the monitoring CRDs: apart, last.
    expect(ks[2].spec.dependsOn.map((d: any) => d.name)).toEqual([
      'openebs-monitoring',
      'notes-backup',
    ]);
    const rule = kustomizeBuild(
      kustomize,
      join(workspacePath, 'kubernetes/apps/tools/notes/monitoring'),
    );
    expect(rule[0].spec.groups[0].rules).toEqual([
      {
        record: 'velero:schedule_interval_seconds',
        expr: 'vector(86400)',
        labels: { schedule: 'tools-notes' },
      },
    ]);
    const backup = kustomizeBuild(
      kustomize,
      join(workspacePath, 'kubernetes/apps/tools/notes/backup'),
    );
    expect(backup).toEqual([
      expect.objectContaining({
        kind: 'Schedule',
        metadata: expect.objectContaining({
          name: 'tools-notes',
          namespace: 'velero',
        }),
        spec: expect.objectContaining({
          schedule: '30 3 * * *',
          useOwnerReferencesInBackup: false,
          template: expect.objectContaining({
            includedNamespaces: ['tools'],
            labelSelector: {
              matchLabels: { 'backstage.io/kubernetes-id': 'notes' },
            },
            excludedResources: ['secrets'],
            defaultVolumesToFsBackup: true,
            snapshotVolumes: false,
            ttl: '168h0m0s',
          }),
        }),
      }),
    ]);
  });

  it('is idempotent on retry and in a dry run, and never clobbers other files', async () => {
    const workspacePath = await createWorkspace();
    await runAction(action, { input: STATEFULSET_INPUT, workspacePath });
    const before = await listFiles(workspacePath);
    const retry = await runAction(action, {
      input: STATEFULSET_INPUT,
      workspacePath,
    });
    expect(retry.logs.join('\n')).toContain('"unchanged":');
    expect(retry.logs.join('\n')).toMatch(
      /"created":0,"updated":0,"unchanged":11/,
    );
    expect(await listFiles(workspacePath)).toEqual(before);

    const dry = await createWorkspace();
    await runAction(action, {
      input: STATEFULSET_INPUT,
      workspacePath: dry,
      isDryRun: true,
    });
    expect(await listFiles(dry)).toEqual(before);

    const edited = join(
      workspacePath,
      'kubernetes/apps/tools/notes/app/statefulset.yaml',
    );
    await fs.writeFile(edited, '---\n# hand-edited\n');
    await expect(
      runAction(action, { input: STATEFULSET_INPUT, workspacePath }),
    ).rejects.toThrow(
      'kubernetes/apps/tools/notes already exists in the repository (kubernetes/apps/tools/notes/app/statefulset.yaml): choose another name',
    );
    expect(await fs.readFile(edited, 'utf8')).toBe('---\n# hand-edited\n');
  });

  it("adds a second app to the namespace's kustomization without losing the first", async () => {
    const workspacePath = await createWorkspace();
    const nsKustomization = join(
      workspacePath,
      'kubernetes/apps/tools/kustomization.yaml',
    );
    await fs.mkdir(join(workspacePath, 'kubernetes/apps/tools'), {
      recursive: true,
    });
    await fs.writeFile(
      nsKustomization,
      '---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n# apps\nresources:\n  - ./namespace.yaml\n  - ./wiki/ks.yaml\n',
    );
    await runAction(action, { input: STATEFULSET_INPUT, workspacePath });
    await runAction(action, { input: STATEFULSET_INPUT, workspacePath });
    const text = await fs.readFile(nsKustomization, 'utf8');
    expect(text).toContain('# apps');
    expect(parseAllDocuments(text)[0].toJS().resources).toEqual([
      './namespace.yaml',
      './wiki/ks.yaml',
      './notes/ks.yaml',
    ]);
  });

  it('lists a new namespace where the repository lists its namespaces, and creates no such list where it has none', async () => {
    const workspacePath = await createWorkspace();
    const apps = join(workspacePath, 'kubernetes/apps/kustomization.yaml');
    await runAction(action, { input: STATEFULSET_INPUT, workspacePath });
    await expect(fs.access(apps)).rejects.toThrow('ENOENT');

    const other = await createWorkspace();
    await fs.mkdir(join(other, 'kubernetes/apps'), { recursive: true });
    await fs.writeFile(
      join(other, 'kubernetes/apps/kustomization.yaml'),
      'resources:\n  - ./platform\n',
    );
    await runAction(action, { input: STATEFULSET_INPUT, workspacePath: other });
    expect(
      parseAllDocuments(
        await fs.readFile(
          join(other, 'kubernetes/apps/kustomization.yaml'),
          'utf8',
        ),
      )[0].toJS().resources,
    ).toEqual(['./platform', './tools']);
  });

  it("fits a repository whose namespace kustomization sets namespace:, and applies as a tenant's service account", async () => {
    const workspacePath = await createWorkspace();
    await fs.mkdir(join(workspacePath, 'kubernetes/apps/tools'), {
      recursive: true,
    });
    await fs.writeFile(
      join(workspacePath, 'kubernetes/apps/tools/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: tools\nresources:\n  - ./namespace.yaml\n',
    );
    await runAction(action, {
      input: { ...STATEFULSET_INPUT, serviceAccountName: 'tools-deployer' },
      workspacePath,
    });
    const ks = parseAllDocuments(
      await fs.readFile(
        join(workspacePath, 'kubernetes/apps/tools/notes/ks.yaml'),
        'utf8',
      ),
    ).map(d => d.toJS());
    for (const k of ks) {
      // The layout's namespace: applies; flux-system would be overridden.
      expect(k.metadata).toEqual({ name: k.metadata.name });
      expect(k.spec.serviceAccountName).toBe('tools-deployer');
    }
    // Built as Flux would: every Kustomization lands in the layout's namespace.
    const built = kustomizeBuild(
      kustomize,
      join(workspacePath, 'kubernetes/apps/tools'),
    ).filter(o => o.kind === 'Kustomization');
    expect(built.map(o => o.metadata.namespace)).toEqual(
      built.map(() => 'tools'),
    );
  });

  it("names the repository's age key Secret, or none where the controller holds the key", async () => {
    const decryptionOf = async (input: Record<string, unknown>) => {
      const workspacePath = await createWorkspace();
      await runAction(action, {
        input: { ...STATEFULSET_INPUT, ...input },
        workspacePath,
      });
      const [app] = parseAllDocuments(
        await fs.readFile(
          join(workspacePath, 'kubernetes/apps/tools/notes/ks.yaml'),
          'utf8',
        ),
      ).map(d => d.toJS());
      return app.spec.decryption;
    };
    expect(await decryptionOf({})).toEqual({
      provider: 'sops',
      secretRef: { name: 'sops-age' },
    });
    expect(await decryptionOf({ sopsSecret: 'cluster-age' })).toEqual({
      provider: 'sops',
      secretRef: { name: 'cluster-age' },
    });
    // kustomize-controller --sops-age-secret: a Kustomization naming no
    // Secret decrypts with the controller's key.
    expect(
      await decryptionOf({
        sopsDecryption: 'controller',
        sopsSecret: 'ignored',
      }),
    ).toEqual({ provider: 'sops' });
  });

  it('annotates the namespace with its owner as a full entity ref', async () => {
    const workspacePath = await createWorkspace();
    await runAction(action, {
      input: { ...STATEFULSET_INPUT, owner: 'team-tools' },
      workspacePath,
    });
    const namespace = parseDocument(
      await fs.readFile(
        join(workspacePath, 'kubernetes/apps/tools/namespace.yaml'),
        'utf8',
      ),
    ).toJS();
    expect(namespace.metadata).toEqual({
      name: 'tools',
      annotations: {
        [NAMESPACE_OWNER_ANNOTATION]: 'group:default/team-tools',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      },
    });
    const catalog = parseDocument(
      await fs.readFile(
        join(workspacePath, 'kubernetes/apps/tools/notes/catalog-info.yaml'),
        'utf8',
      ),
    ).toJS();
    expect(catalog.spec.owner).toBe('group:default/team-tools');
    expect(catalog.metadata.annotations).toMatchObject({
      'openebs.io/restore-drill': 'daily',
      'openebs.io/restore-drill-verify': 'test -s /var/lib/notes/notes.db',
    });

    // A user owner keeps its kind.
    const other = await createWorkspace();
    await runAction(action, {
      input: { ...STATEFULSET_INPUT, owner: 'user:default/alice' },
      workspacePath: other,
    });
    expect(
      await fs.readFile(
        join(other, 'kubernetes/apps/tools/namespace.yaml'),
        'utf8',
      ),
    ).toContain(`${NAMESPACE_OWNER_ANNOTATION}: user:default/alice`);

    await expect(
      runAction(action, {
        input: { ...STATEFULSET_INPUT, owner: 'group:default/' },
        workspacePath: await createWorkspace(),
      }),
    ).rejects.toThrow('owner: not an entity ref');
  });

  it("refuses to add an app to another owner's namespace", async () => {
    const workspacePath = await createWorkspace();
    await runAction(action, { input: STATEFULSET_INPUT, workspacePath });
    const namespaceFile = join(
      workspacePath,
      'kubernetes/apps/tools/namespace.yaml',
    );
    const before = await fs.readFile(namespaceFile, 'utf8');
    await expect(
      runAction(action, {
        input: {
          ...STATEFULSET_INPUT,
          name: 'wiki',
          owner: 'group:default/team-shop',
        },
        workspacePath,
      }),
    ).rejects.toThrow(
      "kubernetes/apps/tools/namespace.yaml records group:default/team-tools as the namespace's owner: a workload of group:default/team-shop cannot be added to it",
    );
    expect(await fs.readFile(namespaceFile, 'utf8')).toBe(before);
    await expect(
      fs.access(join(workspacePath, 'kubernetes/apps/tools/wiki')),
    ).rejects.toThrow('ENOENT');
    // The same owner adds a second app to its namespace.
    await runAction(action, {
      input: { ...STATEFULSET_INPUT, name: 'wiki', owner: 'team-tools' },
      workspacePath,
    });
    expect(await fs.readFile(namespaceFile, 'utf8')).toBe(before);
  });

  it('rejects unpinned charts, plain-HTTP repositories and missing parts', async () => {
    const workspacePath = await createWorkspace();
    const bad = async (input: object, message: string) =>
      expect(runAction(action, { input, workspacePath })).rejects.toThrow(
        message,
      );
    await bad(
      { ...HELM_INPUT, chart: { ...HELM_INPUT.chart, version: '^16.0.0' } },
      'chart.version',
    );
    await bad(
      {
        ...HELM_INPUT,
        chart: { ...HELM_INPUT.chart, repository: 'http://charts.example' },
      },
      'chart.repository',
    );
    await bad(
      { ...HELM_INPUT, chart: undefined },
      'chart: repository, name and version are required when kind is helm',
    );
    await bad({ ...STATEFULSET_INPUT, image: undefined }, 'image: required');
    await bad(
      { ...STATEFULSET_INPUT, storageClass: 'standard' },
      'storageClass',
    );
    await bad({ ...STATEFULSET_INPUT, size: '10GB' }, 'size');
    expect(await listFiles(workspacePath)).toEqual([]);
  });
});
