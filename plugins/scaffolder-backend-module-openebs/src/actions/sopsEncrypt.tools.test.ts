import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { JsonValue } from '@backstage/types';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { parseDocument } from 'yaml';
import { createWorkspace, runAction } from '../__testUtils__/actionContext';
import { requireTool, TOOL_BUILD_TIMEOUT_MS } from '../__testUtils__/tools';
import { decryptYamlDocument } from '../sops/SopsYaml';
import { createSopsEncryptAction, DRY_RUN_PLACEHOLDER } from './sopsEncrypt';

const run = promisify(execFile);
const PATH = 'kubernetes/apps/storage/velero/app/velero-s3-secret.sops.yaml';
const SECRETS = {
  s3AccessKeyId: 'AKIAEXAMPLEKEYID',
  s3SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  s3Other: 'other-value',
};

describe('openebs:sops:encrypt', () => {
  const action = createSopsEncryptAction();
  let identity: string;
  let recipient: string;
  let sops: string;

  beforeAll(async () => {
    sops = requireTool('sops');
    identity = await generateX25519Identity();
    recipient = await identityToRecipient(identity);
  }, TOOL_BUILD_TIMEOUT_MS);

  const input = () => ({
    path: PATH,
    name: 'velero-s3-secret',
    namespace: 'velero',
    recipients: [recipient],
    entries: [
      { key: 'S3_ACCESS_KEY_ID', fromSecret: 's3AccessKeyId' },
      { key: 'S3_SECRET_ACCESS_KEY', fromSecret: 's3SecretAccessKey' },
    ],
    plainEntries: [
      { key: 'S3_ENDPOINT', value: 'https://s3.68cc.io' },
      { key: 'S3_BUCKET', value: 'openebs-backups' },
    ],
    awsCredentials: {
      key: 'cloud',
      accessKeyIdSecret: 's3AccessKeyId',
      secretAccessKeySecret: 's3SecretAccessKey',
    },
  });

  const expectNoPlaintext = (...texts: string[]) => {
    for (const t of texts) {
      expect(t).not.toContain(SECRETS.s3AccessKeyId);
      expect(t).not.toContain(SECRETS.s3SecretAccessKey);
    }
  };

  it('writes a Secret the real sops decrypts to exactly the task secrets', async () => {
    const workspacePath = await createWorkspace();
    const { logs, outputs } = await runAction(action, {
      input: input(),
      workspacePath,
      secrets: SECRETS,
    });
    const text = await fs.readFile(join(workspacePath, PATH), 'utf8');
    expect(text.startsWith('---\n')).toBe(true);
    expectNoPlaintext(text, logs.join('\n'), JSON.stringify(outputs));
    expect(outputs).toEqual({
      path: PATH,
      keys: [
        'S3_ACCESS_KEY_ID',
        'S3_SECRET_ACCESS_KEY',
        'S3_ENDPOINT',
        'S3_BUCKET',
        'cloud',
      ],
      recipients: [recipient],
      kept: false,
    });

    const plain = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'velero-s3-secret', namespace: 'velero' },
      type: 'Opaque',
      stringData: {
        S3_ACCESS_KEY_ID: SECRETS.s3AccessKeyId,
        S3_SECRET_ACCESS_KEY: SECRETS.s3SecretAccessKey,
        S3_ENDPOINT: 'https://s3.68cc.io',
        S3_BUCKET: 'openebs-backups',
        cloud: `[default]\naws_access_key_id=${SECRETS.s3AccessKeyId}\naws_secret_access_key=${SECRETS.s3SecretAccessKey}\n`,
      },
    };
    // Flux's kustomize-controller reads these before decrypting.
    const encrypted = parseDocument(text).toJS();
    expect(encrypted.metadata).toEqual(plain.metadata);
    expect(encrypted.kind).toBe('Secret');

    const { stdout } = await run(
      sops,
      ['decrypt', '--output-type', 'json', join(workspacePath, PATH)],
      {
        env: {
          ...process.env,
          SOPS_AGE_KEY: identity,
          SOPS_AGE_KEY_FILE: '/nonexistent',
        },
      },
    );
    expect(JSON.parse(stdout)).toEqual(plain);
    expect((await decryptYamlDocument(text, [identity])).toJS()).toEqual(plain);
  });

  it('writes the same bytes when the task is retried', async () => {
    const checkpoints = new Map<string, JsonValue>();
    const first = await createWorkspace();
    const retry = await createWorkspace();
    await runAction(action, {
      input: input(),
      workspacePath: first,
      secrets: SECRETS,
      checkpoints,
    });
    const again = await runAction(action, {
      input: input(),
      workspacePath: retry,
      secrets: SECRETS,
      checkpoints,
    });
    // Only ciphertext is kept in the checkpoint state.
    expectNoPlaintext(JSON.stringify([...checkpoints.values()]));
    expect(await fs.readFile(join(retry, PATH), 'utf8')).toBe(
      await fs.readFile(join(first, PATH), 'utf8'),
    );
    // Run again in the same workspace: nothing changes on disk.
    const rerun = await runAction(action, {
      input: input(),
      workspacePath: first,
      secrets: SECRETS,
      checkpoints,
    });
    expect(rerun.logs.join('\n')).toContain('"result":"unchanged"');
    expect(again.logs.join('\n')).toContain('"result":"created"');
  });

  it('makes a generated password once: keepExisting keeps the branch file', async () => {
    const repoPassword = {
      path: 'kubernetes/apps/storage/velero/app/velero-repo-credentials.sops.yaml',
      name: 'velero-repo-credentials',
      namespace: 'velero',
      recipients: [recipient],
      generatedEntries: [{ key: 'repository-password' }],
      keepExisting: true,
    };
    const workspacePath = await createWorkspace();
    const first = await runAction(action, {
      input: repoPassword,
      workspacePath,
    });
    const file = join(workspacePath, repoPassword.path);
    const made = await fs.readFile(file, 'utf8');
    expect(first.outputs.kept).toBe(false);
    // The next run finds it (as openebs:repository:read leaves it in the
    // workspace) and keeps it byte for byte.
    const second = await runAction(action, {
      input: repoPassword,
      workspacePath,
    });
    expect(second.outputs.kept).toBe(true);
    expect(await fs.readFile(file, 'utf8')).toBe(made);
    // Without keepExisting a new password replaces it.
    await runAction(action, {
      input: { ...repoPassword, keepExisting: false },
      workspacePath,
    });
    const password = async (text: string) =>
      (await decryptYamlDocument(text, [identity])).toJS().stringData[
        'repository-password'
      ];
    expect(await password(await fs.readFile(file, 'utf8'))).not.toBe(
      await password(made),
    );
  });

  it('never reads a secret in a dry run, and shows the layout', async () => {
    const workspacePath = await createWorkspace();
    const { logs } = await runAction(action, {
      input: input(),
      workspacePath,
      secrets: {}, // a dry run from the editor has no secrets
      isDryRun: true,
    });
    const text = await fs.readFile(join(workspacePath, PATH), 'utf8');
    const doc = (await decryptYamlDocument(text, [identity])).toJS();
    expect(Object.keys(doc.stringData)).toEqual([
      'S3_ACCESS_KEY_ID',
      'S3_SECRET_ACCESS_KEY',
      'S3_ENDPOINT',
      'S3_BUCKET',
      'cloud',
    ]);
    expect(doc.stringData.S3_ACCESS_KEY_ID).toBe(DRY_RUN_PLACEHOLDER);
    expect(logs.join('\n')).toContain('dry run');
  });

  it('names a missing secret without writing anything', async () => {
    const workspacePath = await createWorkspace();
    await expect(
      runAction(action, {
        input: input(),
        workspacePath,
        secrets: { s3AccessKeyId: 'x' },
      }),
    ).rejects.toThrow('task secret s3SecretAccessKey is missing');
    await expect(fs.readdir(workspacePath)).resolves.toEqual([]);
  });

  it('rejects bad input through its schema and its own checks', async () => {
    const workspacePath = await createWorkspace();
    await expect(
      runAction(action, {
        input: { ...input(), path: 'secret.yaml' },
        workspacePath,
        secrets: SECRETS,
      }),
    ).rejects.toThrow('path');
    await expect(
      runAction(action, {
        input: { ...input(), path: '../outside.sops.yaml' },
        workspacePath,
        secrets: SECRETS,
      }),
    ).rejects.toThrow('inside the workspace');
    await expect(
      runAction(action, {
        input: { ...input(), recipients: ['not-a-key'] },
        workspacePath,
        secrets: SECRETS,
      }),
    ).rejects.toThrow('not an age recipient');
    await expect(
      runAction(action, {
        input: {
          ...input(),
          entries: [
            { key: 'A', fromSecret: 's3Other' },
            { key: 'A', fromSecret: 's3AccessKeyId' },
          ],
        },
        workspacePath,
        secrets: SECRETS,
      }),
    ).rejects.toThrow('key A appears twice');
  });
});
