import { execFile } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { parseDocument } from 'yaml';
import { createWorkspace } from '../__testUtils__/actionContext';
import { requireTool, TOOL_BUILD_TIMEOUT_MS } from '../__testUtils__/tools';
import {
  decryptYamlDocument,
  encryptYamlDocument,
  KUBERNETES_SECRET_ENCRYPTED_REGEX,
  readSopsMetadata,
  SOPS_FORMAT_VERSION,
} from './SopsYaml';

const run = promisify(execFile);

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: velero-s3-secret
  namespace: velero
  labels:
    app.kubernetes.io/name: velero
type: Opaque
stringData:
  S3_ACCESS_KEY_ID: "AKIA-test-äöü"
  S3_SECRET_ACCESS_KEY: "s3cr3t/with:colons, and spaces"
  EMPTY: ""
  cloud: |
    [default]
    aws_access_key_id=AKIA-test
  replicas: 3
  enabled: true
`;

describe('SOPS YAML format', () => {
  let identity: string;
  let recipient: string;
  let otherIdentity: string;
  let sops: string;
  let dir: string;

  beforeAll(async () => {
    sops = requireTool('sops');
    identity = await generateX25519Identity();
    recipient = await identityToRecipient(identity);
    otherIdentity = await generateX25519Identity();
    dir = await createWorkspace();
  }, TOOL_BUILD_TIMEOUT_MS);

  const sopsEnv = (key: string) => ({
    ...process.env,
    SOPS_AGE_KEY: key,
    SOPS_AGE_KEY_FILE: '/nonexistent',
  });

  it('writes the version pinned in lab/tools/sops/go.mod', () => {
    const goMod = readFileSync(
      resolve(__dirname, '../../../../lab/tools/sops/go.mod'),
      'utf8',
    );
    expect(goMod).toContain(
      `github.com/getsops/sops/v3 v${SOPS_FORMAT_VERSION}`,
    );
  });

  it('encrypts only data/stringData and round-trips through our decryption', async () => {
    const text = await encryptYamlDocument(parseDocument(SECRET), {
      recipients: [recipient],
      encryptedRegex: KUBERNETES_SECRET_ENCRYPTED_REGEX,
      now: new Date('2026-11-26T02:00:00.123Z'),
    });
    const encrypted = parseDocument(text).toJS();
    expect(encrypted.apiVersion).toBe('v1');
    expect(encrypted.kind).toBe('Secret');
    expect(encrypted.metadata).toEqual({
      name: 'velero-s3-secret',
      namespace: 'velero',
      labels: { 'app.kubernetes.io/name': 'velero' },
    });
    expect(encrypted.stringData.S3_ACCESS_KEY_ID).toMatch(
      /^ENC\[AES256_GCM,data:.+,iv:.+,tag:.+,type:str\]$/,
    );
    expect(encrypted.stringData.replicas).toMatch(/type:int\]$/);
    expect(encrypted.stringData.enabled).toMatch(/type:bool\]$/);
    expect(encrypted.stringData.EMPTY).toBe('');
    expect(text).not.toContain('AKIA-test');
    expect(text).not.toContain('s3cr3t');
    expect(encrypted.sops).toMatchObject({
      encrypted_regex: '^(data|stringData)$',
      lastmodified: '2026-11-26T02:00:00Z',
      version: SOPS_FORMAT_VERSION,
      age: [{ recipient }],
    });
    expect(readSopsMetadata(text)?.recipients).toEqual([recipient]);

    const back = await decryptYamlDocument(text, [identity]);
    expect(back.toJS()).toEqual(parseDocument(SECRET).toJS());
  });

  it('detects tampering through the MAC, and wrong keys', async () => {
    const text = await encryptYamlDocument(parseDocument(SECRET), {
      recipients: [recipient],
      encryptedRegex: KUBERNETES_SECRET_ENCRYPTED_REGEX,
    });
    // Plain-text fields are covered by the MAC too.
    await expect(
      decryptYamlDocument(
        text.replace('namespace: velero', 'namespace: default'),
        [identity],
      ),
    ).rejects.toThrow('MAC mismatch');
    await expect(decryptYamlDocument(text, [otherIdentity])).rejects.toThrow(
      'no identity could decrypt the data key',
    );
  });

  it('refuses what is not an age recipient', async () => {
    await expect(
      encryptYamlDocument(parseDocument(SECRET), {
        recipients: ['ssh-ed25519 AAAA'],
      }),
    ).rejects.toThrow('not an age recipient');
    await expect(
      encryptYamlDocument(parseDocument(SECRET), { recipients: [] }),
    ).rejects.toThrow('at least one age recipient');
  });

  it('is decrypted by the real sops to exactly the input', async () => {
    const text = await encryptYamlDocument(parseDocument(SECRET), {
      recipients: [recipient],
      encryptedRegex: KUBERNETES_SECRET_ENCRYPTED_REGEX,
    });
    const file = join(dir, 'ours.sops.yaml');
    await fs.writeFile(file, text);
    const { stdout } = await run(
      sops,
      ['decrypt', '--input-type', 'yaml', '--output-type', 'json', file],
      { env: sopsEnv(identity) },
    );
    expect(JSON.parse(stdout)).toEqual(parseDocument(SECRET).toJS());

    // A wrong key fails in sops as well: it really checks our age stanza.
    await expect(
      run(sops, ['decrypt', file], { env: sopsEnv(otherIdentity) }),
    ).rejects.toThrow();
  });

  it('reads a file that the real sops encrypted, for several recipients', async () => {
    const second = await generateX25519Identity();
    const plain = join(dir, 'plain.yaml');
    await fs.writeFile(plain, SECRET);
    const { stdout } = await run(
      sops,
      [
        'encrypt',
        '--age',
        `${recipient},${await identityToRecipient(second)}`,
        '--encrypted-regex',
        KUBERNETES_SECRET_ENCRYPTED_REGEX,
        plain,
      ],
      { env: sopsEnv(identity) },
    );
    expect(stdout).not.toContain('AKIA-test');
    for (const id of [identity, second]) {
      const doc = await decryptYamlDocument(stdout, [id]);
      expect(doc.toJS()).toEqual(parseDocument(SECRET).toJS());
    }
    // ...and our MAC check holds against sops's MAC.
    await expect(
      decryptYamlDocument(stdout.replace('name: velero-s3-secret', 'name: x'), [
        identity,
      ]),
    ).rejects.toThrow('MAC mismatch');
  });

  it('reads files sops encrypted with its other selection rules', async () => {
    const plain = join(dir, 'all.yaml');
    await fs.writeFile(plain, SECRET);
    for (const flags of [
      [], // everything, with the default unencrypted_suffix
      ['--encrypted-suffix', '_KEY'],
      ['--unencrypted-regex', '^(metadata|enabled)$'],
    ]) {
      const { stdout } = await run(
        sops,
        ['encrypt', '--age', recipient, ...flags, plain],
        { env: sopsEnv(identity) },
      );
      const doc = await decryptYamlDocument(stdout, [identity]);
      expect(doc.toJS()).toEqual(parseDocument(SECRET).toJS());
    }
  });
});
