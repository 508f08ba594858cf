import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { parseDocument } from 'yaml';
import { createWorkspace, runAction } from '../__testUtils__/actionContext';
import { expectMatchesGolden } from '../__testUtils__/golden';
import {
  kustomizeBuild,
  requireTool,
  TOOL_BUILD_TIMEOUT_MS,
} from '../__testUtils__/tools';
import { createFluxPlatformAction } from './fluxPlatform';
import { createSopsEncryptAction } from './sopsEncrypt';
import { createValidateManifestsAction } from './validateManifests';

const run = promisify(execFile);

/** A fixed recipient for the golden tree (its identity is not needed). */
const GOLDEN_RECIPIENT =
  'age1lc7tqxj99vxh5dz7vp20yhxtwnvg8sg242fkmtkdfcdq3u3k5uuq5vuhjj';

const S3_SECRETS = {
  s3AccessKeyId: 'AKIAPLATFORMTEST',
  s3SecretAccessKey: 'platform/secret/key',
  s3Endpoint: 'https://s3.68cc.io',
  s3Bucket: 'openebs-backups',
};

describe('openebs:flux:platform', () => {
  const platform = createFluxPlatformAction();
  const encrypt = createSopsEncryptAction();
  const validate = createValidateManifestsAction();
  let sops: string;
  let kustomize: string;
  let identity: string;
  let recipient: string;

  beforeAll(async () => {
    sops = requireTool('sops');
    kustomize = requireTool('kustomize');
    identity = await generateX25519Identity();
    recipient = await identityToRecipient(identity);
  }, TOOL_BUILD_TIMEOUT_MS);

  it('matches its golden tree, with the device class opted in', async () => {
    const workspacePath = await createWorkspace();
    const { outputs } = await runAction(platform, {
      input: {
        recipients: [GOLDEN_RECIPIENT],
        deviceClass: { enabled: true, volumeGroup: 'lvmvg' },
      },
      workspacePath,
    });
    expect(outputs.secretPath).toBe(
      'kubernetes/apps/storage/velero/app/velero-s3-secret.sops.yaml',
    );
    await expectMatchesGolden('platform', workspacePath);
  });

  it('with its SOPS secret, passes validation, builds with kustomize and pins the plan', async () => {
    const workspacePath = await createWorkspace();
    const { outputs } = await runAction(platform, {
      input: { recipients: [recipient] },
      workspacePath,
    });
    await runAction(encrypt, {
      input: {
        path: outputs.secretPath as string,
        name: 'velero-s3-secret',
        namespace: 'velero',
        recipients: [recipient],
        entries: [
          { key: 'S3_ACCESS_KEY_ID', fromSecret: 's3AccessKeyId' },
          { key: 'S3_SECRET_ACCESS_KEY', fromSecret: 's3SecretAccessKey' },
          { key: 'S3_ENDPOINT', fromSecret: 's3Endpoint' },
          { key: 'S3_BUCKET', fromSecret: 's3Bucket' },
        ],
        awsCredentials: {
          accessKeyIdSecret: 's3AccessKeyId',
          secretAccessKeySecret: 's3SecretAccessKey',
        },
      },
      workspacePath,
      secrets: S3_SECRETS,
    });
    await runAction(encrypt, {
      input: {
        path: outputs.repoCredentialsPath as string,
        name: 'velero-repo-credentials',
        namespace: 'velero',
        recipients: [recipient],
        generatedEntries: [{ key: 'repository-password' }],
      },
      workspacePath,
    });
    const checked = await runAction(validate, {
      input: { paths: ['kubernetes', '.sops.yaml'] },
      workspacePath,
    });
    expect(checked.outputs.problems).toEqual([]);

    const openebs = kustomizeBuild(
      kustomize,
      join(workspacePath, 'kubernetes/apps/kube-system/openebs/app'),
    );
    const localpv = openebs.find(o => o.kind === 'HelmRelease');
    expect(localpv.spec.chart.spec).toMatchObject({
      chart: 'localpv-provisioner',
      version: '4.0.0',
    });
    expect(localpv.spec.values).toMatchObject({
      localpv: {
        replicas: 3,
        enableLeaderElection: true,
        resources: {
          requests: { memory: '128Mi' },
          limits: { memory: '448Mi' },
        },
      },
      hostpathClass: { name: 'openebs-localpv-hostpath', isDefaultClass: true },
      analytics: { enabled: false },
    });
    // No device class unless opted in.
    expect(openebs.some(o => o.kind === 'StorageClass')).toBe(false);

    const velero = kustomizeBuild(
      kustomize,
      join(workspacePath, 'kubernetes/apps/storage/velero/app'),
    );
    expect(velero.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/openebs-velero-dashboard',
      'ConfigMap/velero-resource-policy',
      'HelmRelease/velero',
      'HelmRepository/vmware-tanzu',
      'Namespace/velero',
      'Secret/velero-repo-credentials',
      'Secret/velero-s3-secret',
    ]);
    const release = velero.find(o => o.kind === 'HelmRelease');
    expect(release.spec.chart.spec.version).toBe('12.1.0');
    const v = release.spec.values;
    expect(v.configuration.backupStorageLocation).toEqual([
      {
        name: 'default',
        provider: 'aws',
        bucket: 'openebs-backups',
        default: true,
        credential: { name: 'velero-s3-secret', key: 'cloud' },
        config: {
          region: 'us-east-1',
          s3ForcePathStyle: 'true',
          s3Url: 'https://s3.68cc.io',
          checksumAlgorithm: '',
        },
      },
    ]);
    expect(v.configuration).toMatchObject({
      uploaderType: 'kopia',
      logFormat: 'json',
    });
    expect(v).toMatchObject({
      snapshotsEnabled: false,
      deployNodeAgent: true,
      credentials: { existingSecret: 'velero-s3-secret' },
      schedules: {
        daily: {
          schedule: '0 2 * * *',
          useOwnerReferencesInBackup: false,
          template: {
            ttl: '720h0m0s',
            snapshotVolumes: false,
            excludedResources: ['secrets'],
          },
        },
      },
      metrics: {
        serviceMonitor: { enabled: true },
        nodeAgentPodMonitor: { enabled: true },
        prometheusRule: { enabled: true },
      },
    });
    const dashboard = velero.find(
      o => o.metadata.name === 'openebs-velero-dashboard',
    );
    expect(
      JSON.parse(dashboard.data['openebs-velero.json']).panels.length,
    ).toBeGreaterThan(0);

    // The real sops follows our .sops.yaml: a new secret under kubernetes/
    // gets encrypted_regex and our recipient, and decrypts with our key.
    const plain = 'kubernetes/apps/shop/app/extra.sops.yaml';
    await fs.mkdir(join(workspacePath, 'kubernetes/apps/shop/app'), {
      recursive: true,
    });
    await fs.writeFile(
      join(workspacePath, plain),
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: extra\nstringData:\n  token: abc\n',
    );
    const env = {
      ...process.env,
      SOPS_AGE_KEY: identity,
      SOPS_AGE_KEY_FILE: '/nonexistent',
    };
    await run(sops, ['encrypt', '--in-place', plain], {
      cwd: workspacePath,
      env,
    });
    const encrypted = parseDocument(
      await fs.readFile(join(workspacePath, plain), 'utf8'),
    ).toJS();
    expect(encrypted.metadata.name).toBe('extra');
    expect(encrypted.sops.encrypted_regex).toBe('^(data|stringData)$');
    expect(encrypted.sops.age[0].recipient).toBe(recipient);
    const { stdout } = await run(
      sops,
      ['decrypt', '--output-type', 'json', plain],
      { cwd: workspacePath, env },
    );
    expect(JSON.parse(stdout).stringData.token).toBe('abc');

    // The backup repository password: made by the action, random (not
    // Velero's built-in one), and only the cluster's key opens it.
    const repo = await run(
      sops,
      [
        'decrypt',
        '--output-type',
        'json',
        outputs.repoCredentialsPath as string,
      ],
      { cwd: workspacePath, env },
    );
    const password = JSON.parse(repo.stdout).stringData['repository-password'];
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(password).not.toBe('static-passw0rd');
  });

  it('refuses plain-HTTP S3 and memory limits of 500Mi or more', async () => {
    const workspacePath = await createWorkspace();
    await expect(
      runAction(platform, {
        input: { recipients: [recipient], s3Url: 'http://s3.68cc.io' },
        workspacePath,
      }),
    ).rejects.toThrow('s3Url');
    await expect(
      runAction(platform, {
        input: { recipients: [recipient], memoryLimit: '512Mi' },
        workspacePath,
      }),
    ).rejects.toThrow('memoryLimit: must be under 500Mi');
  });

  it("alerts on the portal's slow burns after the windows the platform chooses, and refuses one that is no duration", async () => {
    const workspacePath = await createWorkspace();
    await runAction(platform, {
      input: {
        recipients: [recipient],
        monitoring: { unprotectedFor: '10m', unverifiedFor: '2h30m' },
      },
      workspacePath,
    });
    const rule = parseDocument(
      await fs.readFile(
        join(
          workspacePath,
          'kubernetes/apps/kube-system/openebs/monitoring/portal-prometheusrule.yaml',
        ),
        'utf8',
      ),
    ).toJS();
    const windows = Object.fromEntries(
      rule.spec.groups[0].rules.map((r: any) => [r.alert, r.for]),
    );
    expect(windows).toMatchObject({
      OpenEBSEntityVolumesUnprotected: '10m',
      OpenEBSEntityUnverified: '2h30m',
      // Not the platform's to stretch: a failed drill or a missed run.
      OpenEBSEntityRestoreDrillFailed: '5m',
      OpenEBSEntityBackupOverdue: '15m',
    });
    for (const unprotectedFor of ['1 hour', '', 'h1', '-5m']) {
      await expect(
        runAction(platform, {
          input: { recipients: [recipient], monitoring: { unprotectedFor } },
          workspacePath: await createWorkspace(),
        }),
      ).rejects.toThrow('unprotectedFor');
    }
  });

  it("gives a late schedule the platform's grace, and refuses one that is no duration", async () => {
    const workspacePath = await createWorkspace();
    await runAction(platform, {
      input: { recipients: [recipient], monitoring: { scheduleGrace: '15m' } },
      workspacePath,
    });
    const release = parseDocument(
      await fs.readFile(
        join(
          workspacePath,
          'kubernetes/apps/storage/velero/app/helmrelease.yaml',
        ),
        'utf8',
      ),
    ).toJS();
    const rules = release.spec.values.metrics.prometheusRule.spec;
    const late = rules.find((r: any) => r.alert === 'VeleroNoRecentBackup');
    expect(late.expr).toContain('velero:schedule_interval_seconds + 900)');
    expect(late.annotations.summary).toContain('within its interval plus 15m');
    for (const scheduleGrace of ['an hour', '1.5h', 'm']) {
      await expect(
        runAction(platform, {
          input: { recipients: [recipient], monitoring: { scheduleGrace } },
          workspacePath: await createWorkspace(),
        }),
      ).rejects.toThrow('scheduleGrace');
    }
  });

  it('is idempotent, and extends existing namespace kustomizations', async () => {
    const workspacePath = await createWorkspace();
    await fs.mkdir(join(workspacePath, 'kubernetes/apps/kube-system'), {
      recursive: true,
    });
    await fs.writeFile(
      join(workspacePath, 'kubernetes/apps/kube-system/kustomization.yaml'),
      '---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./cilium/ks.yaml\n',
    );
    // The repository's root lists its namespace directories, with a comment
    // and a field of its own.
    await fs.writeFile(
      join(workspacePath, 'kubernetes/apps/kustomization.yaml'),
      '# namespaces of this cluster\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ncommonLabels:\n  cluster: prod\nresources:\n  - ./kube-system\n  - ./shop\n',
    );
    await runAction(platform, {
      input: { recipients: [recipient] },
      workspacePath,
    });
    const again = await runAction(platform, {
      input: { recipients: [recipient] },
      workspacePath,
    });
    expect(again.logs.join('\n')).toMatch(/"created":0,"updated":0/);
    const ks = parseDocument(
      await fs.readFile(
        join(workspacePath, 'kubernetes/apps/kube-system/kustomization.yaml'),
        'utf8',
      ),
    ).toJS();
    expect(ks.resources).toEqual(['./cilium/ks.yaml', './openebs/ks.yaml']);
    const root = await fs.readFile(
      join(workspacePath, 'kubernetes/apps/kustomization.yaml'),
      'utf8',
    );
    expect(root).toContain('# namespaces of this cluster');
    expect(parseDocument(root).toJS()).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      commonLabels: { cluster: 'prod' },
      resources: ['./kube-system', './shop', './storage'],
    });
  });

  it('creates no root kustomization where the repository has none', async () => {
    const workspacePath = await createWorkspace();
    const { outputs } = await runAction(platform, {
      input: { recipients: [recipient] },
      workspacePath,
    });
    expect(outputs.files).not.toContain('kubernetes/apps/kustomization.yaml');
    await expect(
      fs.access(join(workspacePath, 'kubernetes/apps/kustomization.yaml')),
    ).rejects.toThrow();
  });
});
