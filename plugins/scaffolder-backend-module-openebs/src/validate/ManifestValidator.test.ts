import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { createValidateManifestsAction } from '../actions/validateManifests';
import { createFluxPlatformAction } from '../actions/fluxPlatform';
import { createFluxWorkloadAction } from '../actions/fluxWorkload';
import { createSopsEncryptAction } from '../actions/sopsEncrypt';
import { listFiles } from '../actions/workspace';
import { createWorkspace, runAction } from '../__testUtils__/actionContext';
import {
  formatProblem,
  ManifestFile,
  ManifestValidator,
} from './ManifestValidator';

const SECRET_PATH =
  'kubernetes/apps/storage/velero/app/velero-s3-secret.sops.yaml';
const VELERO = 'kubernetes/apps/storage/velero/app/helmrelease.yaml';
const OPENEBS = 'kubernetes/apps/kube-system/openebs/app/helmrelease.yaml';

describe('ManifestValidator and openebs:manifests:validate', () => {
  let tree: ManifestFile[];
  let workspacePath: string;

  beforeAll(async () => {
    const recipient = await identityToRecipient(await generateX25519Identity());
    workspacePath = await createWorkspace();
    await runAction(createFluxPlatformAction(), {
      input: { recipients: [recipient], deviceClass: { enabled: true } },
      workspacePath,
    });
    await runAction(createSopsEncryptAction(), {
      input: {
        path: SECRET_PATH,
        name: 'velero-s3-secret',
        namespace: 'velero',
        recipients: [recipient],
        entries: [{ key: 'S3_ACCESS_KEY_ID', fromSecret: 'id' }],
      },
      workspacePath,
      secrets: { id: 'AKIA' },
    });
    await runAction(createSopsEncryptAction(), {
      input: {
        path: 'kubernetes/apps/storage/velero/app/velero-repo-credentials.sops.yaml',
        name: 'velero-repo-credentials',
        namespace: 'velero',
        recipients: [recipient],
        generatedEntries: [{ key: 'repository-password' }],
      },
      workspacePath,
    });
    await runAction(createFluxWorkloadAction(), {
      input: {
        name: 'notes',
        namespace: 'tools',
        owner: 'group:default/tools',
        size: '1Gi',
        kind: 'statefulset',
        image: 'ghcr.io/example/notes:1.0.0',
      },
      workspacePath,
    });
    tree = await Promise.all(
      (
        await listFiles(workspacePath)
      ).map(async path => ({
        path,
        content: await fs.readFile(join(workspacePath, path), 'utf8'),
      })),
    );
  });

  /** The tree with one file's text changed. */
  const withEdit = (path: string, from: string | RegExp, to: string) =>
    tree.map(f => {
      if (f.path !== path) return f;
      const content = f.content.replace(from, to);
      if (content === f.content)
        throw new Error(`edit did not apply to ${path}`);
      return { path, content };
    });
  const problems = (files: ManifestFile[]) =>
    new ManifestValidator().validate(files).map(formatProblem);

  it('accepts the generated platform and workload trees', () => {
    expect(tree.length).toBeGreaterThan(20);
    expect(problems(tree)).toEqual([]);
  });

  it.each([
    [
      'S3 over plain HTTP',
      VELERO,
      's3Url: https://s3.68cc.io',
      's3Url: http://s3.68cc.io',
      `${VELERO}: spec.values.configuration.backupStorageLocation[0].config.s3Url: S3 must be reached over HTTPS (NFR-SEC-001), got 'http://s3.68cc.io'`,
    ],
    [
      'another bucket',
      VELERO,
      'bucket: openebs-backups',
      'bucket: other',
      `${VELERO}: spec.values.configuration.backupStorageLocation[0].bucket: must be openebs-backups, got 'other'`,
    ],
    [
      'another schedule',
      VELERO,
      'schedule: 0 2 * * *',
      'schedule: 0 3 * * *',
      `${VELERO}: spec.values.schedules.daily.schedule: must be '0 2 * * *' (daily 02:00 UTC, AC-002-02), got '0 3 * * *'`,
    ],
    [
      'another TTL',
      VELERO,
      'ttl: 720h0m0s',
      'ttl: 24h',
      `${VELERO}: spec.values.schedules.daily.template.ttl: must be 720h (30 days, AC-002-02), got '24h'`,
    ],
    [
      'owner references in backups',
      VELERO,
      'useOwnerReferencesInBackup: false',
      'useOwnerReferencesInBackup: true',
      `${VELERO}: spec.values.schedules.daily.useOwnerReferencesInBackup: must be false so that Flux pruning never deletes backups`,
    ],
    [
      'Secrets in backups (they would reach S3 in clear)',
      VELERO,
      /excludedResources:\n\s+- secrets/,
      'excludedResources: []',
      `${VELERO}: spec.values.schedules.daily.template.excludedResources: must list secrets: Velero writes backed-up objects to S3 unencrypted, and Secrets come back from Git (SOPS)`,
    ],
    [
      'Secrets named among the backed-up kinds',
      VELERO,
      /\n(\s+)storageLocation: default/,
      '\n$1storageLocation: default\n$1includedResources: [pods, Secrets]',
      `${VELERO}: spec.values.schedules.daily.template.includedResources: must not list secrets: Velero writes backed-up objects to S3 unencrypted`,
    ],
    [
      'a memory limit of 512Mi',
      OPENEBS,
      /limits:\n(\s+)memory: 448Mi/,
      'limits:\n$1memory: 512Mi',
      `${OPENEBS}: spec.values.localpv.resources.limits.memory: must be under 500Mi (NFR-SCALE-001), got 512Mi`,
    ],
    [
      'two default StorageClasses',
      'kubernetes/apps/kube-system/openebs/app/storageclass-device.yaml',
      "is-default-class: 'false'",
      "is-default-class: 'true'",
      '<all files>: StorageClass default: exactly one default StorageClass is required (AC-001-04), found 2: openebs-localpv-hostpath (kubernetes/apps/kube-system/openebs/app/helmrelease.yaml), openebs-localpv-device (kubernetes/apps/kube-system/openebs/app/storageclass-device.yaml)',
    ],
    [
      'no default StorageClass',
      OPENEBS,
      'isDefaultClass: true',
      'isDefaultClass: false',
      '<all files>: StorageClass default: exactly one default StorageClass is required (AC-001-04), found 0',
    ],
    [
      'an unpinned chart',
      OPENEBS,
      'version: 4.0.0',
      'version: 4.x',
      `${OPENEBS}: spec.chart.spec.version: must pin an exact chart version`,
    ],
    [
      'an unknown field in a Flux Kustomization (strict schema)',
      'kubernetes/apps/tools/notes/ks.yaml',
      'prune: true',
      'prune: true\n  prunee: true',
      "kubernetes/apps/tools/notes/ks.yaml: spec: Unrecognized key(s) in object: 'prunee'",
    ],
    [
      'an old Flux API version',
      'kubernetes/apps/tools/notes/ks.yaml',
      'kustomize.toolkit.fluxcd.io/v1',
      'kustomize.toolkit.fluxcd.io/v1beta2',
      'kubernetes/apps/tools/notes/ks.yaml: apiVersion: must be kustomize.toolkit.fluxcd.io/v1, got kustomize.toolkit.fluxcd.io/v1beta2',
    ],
    [
      'a kustomization listing a missing file',
      'kubernetes/apps/tools/notes/app/kustomization.yaml',
      './service.yaml',
      './services.yaml',
      'kubernetes/apps/tools/notes/app/kustomization.yaml: resources[0]: ./services.yaml does not exist',
    ],
    [
      'a .sops.yaml that would encrypt metadata',
      '.sops.yaml',
      'encrypted_regex: ^(data|stringData)$',
      'encrypted_regex: .*',
      ".sops.yaml: creation_rules[0].encrypted_regex: must be '^(data|stringData)$' so that Flux can read apiVersion, kind and metadata",
    ],
  ])('names the file and field for %s', (_what, path, from, to, expected) => {
    expect(problems(withEdit(path, from, to))).toEqual([expected]);
  });

  it("checks a repository's kustomization without apiVersion and kind, and counts what the branch holds", () => {
    const repositoryFile = {
      path: 'kubernetes/apps/kustomization.yaml',
      content: 'resources:\n  - ./platform\n  - ./tools\n',
    };
    expect(problems([...tree, repositoryFile])).toEqual([
      'kubernetes/apps/kustomization.yaml: resources[0]: ./platform does not exist',
    ]);
    expect(
      new ManifestValidator({ onBranch: ['kubernetes/apps/platform'] })
        .validate([...tree, repositoryFile])
        .map(formatProblem),
    ).toEqual([]);
  });

  it('requires every Secret to be encrypted, value by value', () => {
    const plain = [
      ...tree,
      {
        path: 'kubernetes/apps/tools/notes/app/plain.yaml',
        content:
          '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: plain\nstringData:\n  token: abc\n',
      },
    ];
    expect(problems(plain)).toEqual([
      'kubernetes/apps/tools/notes/app/plain.yaml: sops: every Secret must be SOPS-encrypted (NFR-SEC-001)',
    ]);
    const tampered = withEdit(
      SECRET_PATH,
      /S3_ACCESS_KEY_ID: .*/,
      'S3_ACCESS_KEY_ID: AKIA-in-clear',
    );
    expect(problems(tampered)).toEqual([
      `${SECRET_PATH}: stringData.S3_ACCESS_KEY_ID: value is not encrypted`,
    ]);
  });

  it("allows a workload's own schedule only when asked, never the platform's", async () => {
    const custom = await createWorkspace();
    await runAction(createFluxWorkloadAction(), {
      input: {
        name: 'wiki',
        namespace: 'docs',
        owner: 'group:default/docs',
        size: '1Gi',
        kind: 'statefulset',
        image: 'ghcr.io/example/wiki:2.0.0',
        backup: { schedule: '30 3 * * *', ttl: '168h0m0s' },
      },
      workspacePath: custom,
    });
    const files = await Promise.all(
      (
        await listFiles(custom)
      ).map(async path => ({
        path,
        content: await fs.readFile(join(custom, path), 'utf8'),
      })),
    );
    const schedule = 'kubernetes/apps/docs/wiki/backup/schedule.yaml';
    expect(problems(files)).toEqual([
      `${schedule}: spec.schedule: must be '0 2 * * *' (daily 02:00 UTC, AC-002-02), got '30 3 * * *'`,
      `${schedule}: spec.template.ttl: must be 720h (30 days, AC-002-02), got '168h0m0s'`,
    ]);
    const lenient = new ManifestValidator({
      allowCustomWorkloadSchedules: true,
    });
    expect(lenient.validate(files)).toEqual([]);
    // A schedule of its own still leaves Secrets out of the bucket.
    const withSecrets = files.map(f =>
      f.path === schedule
        ? {
            ...f,
            content: f.content.replace(
              /excludedResources:\n\s+- secrets\n/,
              '',
            ),
          }
        : f,
    );
    expect(withSecrets).not.toEqual(files);
    expect(lenient.validate(withSecrets).map(formatProblem)).toEqual([
      `${schedule}: spec.template.excludedResources: must list secrets: Velero writes backed-up objects to S3 unencrypted, and Secrets come back from Git (SOPS)`,
    ]);
    // The platform's own schedule stays the plan's.
    expect(
      lenient
        .validate(withEdit(VELERO, 'ttl: 720h0m0s', 'ttl: 24h'))
        .map(formatProblem),
    ).toEqual([
      `${VELERO}: spec.values.schedules.daily.template.ttl: must be 720h (30 days, AC-002-02), got '24h'`,
    ]);
  });

  it('as an action: reports every problem and fails the step, or only reports', async () => {
    const ok = await runAction(createValidateManifestsAction(), {
      input: {},
      workspacePath,
      isDryRun: true,
    });
    expect(ok.outputs).toEqual({ files: tree.length - 1, problems: [] }); // .sops.yaml is outside kubernetes/

    const broken = await createWorkspace();
    await fs.mkdir(join(broken, 'kubernetes'), { recursive: true });
    await fs.writeFile(
      join(broken, 'kubernetes/secret.yaml'),
      '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n',
    );
    await expect(
      runAction(createValidateManifestsAction(), {
        input: {},
        workspacePath: broken,
      }),
    ).rejects.toThrow(
      'kubernetes/secret.yaml: sops: every Secret must be SOPS-encrypted (NFR-SEC-001)',
    );
    const reportOnly = await runAction(createValidateManifestsAction(), {
      input: { failOnProblems: false },
      workspacePath: broken,
    });
    expect(reportOnly.outputs.problems).toHaveLength(1);
    await expect(
      runAction(createValidateManifestsAction(), {
        input: { paths: ['nowhere'] },
        workspacePath: broken,
      }),
    ).rejects.toThrow('nowhere: no such file or directory in the workspace');
  });
});
