/*
 * SOPS's YAML file format, written and read without the sops program.
 *
 * Follows github.com/getsops/sops/v3 (v3.13.3, pinned in lab/tools/sops/go.mod):
 * - aes/cipher.go: every encrypted leaf is AES-256-GCM with a 32-byte random
 *   IV, the tree path joined by ':' plus a trailing ':' as additional data, and
 *   written as ENC[AES256_GCM,data:<b64>,iv:<b64>,tag:<b64>,type:<str|int|float|bool>].
 *   Empty strings are left empty.
 * - sops.go Tree.Encrypt: the MAC is SHA-512 over the bytes of every leaf value
 *   (encrypted or not; comments and nulls excluded) in document order, written as
 *   upper-case hex and encrypted like a leaf with the `lastmodified` timestamp
 *   (RFC 3339) as additional data. With encrypted_regex a leaf is encrypted when
 *   any key on its path matches the regex.
 * - age/keysource.go: the 32-byte data key is age-encrypted (armored) to each
 *   recipient.
 * - stores/stores.go: the `sops` metadata block.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from 'node:crypto';
import { Decrypter, Encrypter, armor } from 'age-encryption';
import {
  Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  YAMLMap,
} from 'yaml';

/** The sops release whose format this module writes (lab/tools/sops/go.mod). */
export const SOPS_FORMAT_VERSION = '3.13.3';

/** What Flux's kustomize-controller needs in plain text: everything but data. */
export const KUBERNETES_SECRET_ENCRYPTED_REGEX = '^(data|stringData)$';

const NONCE_SIZE = 32;
const TAG_SIZE = 16;
const ENC_RE = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;
const AGE_RECIPIENT_RE = /^age1[0-9a-z]+$/;

export type SopsLeaf = string | number | boolean;

export class SopsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SopsFormatError';
  }
}

function leafType(value: SopsLeaf): 'str' | 'int' | 'float' | 'bool' {
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    default:
      return Number.isInteger(value) ? 'int' : 'float';
  }
}

/** sops.ToBytes: the bytes a leaf contributes to the MAC and to its ciphertext. */
export function leafBytes(value: SopsLeaf): Buffer {
  switch (typeof value) {
    case 'string':
      return Buffer.from(value, 'utf8');
    case 'boolean':
      // As the Python original did: title case.
      return Buffer.from(value ? 'True' : 'False');
    case 'number': {
      if (!Number.isFinite(value)) {
        throw new SopsFormatError(`cannot encode non-finite number ${value}`);
      }
      const text = String(value);
      // Go's FormatFloat(f, 'f', -1, 64) never uses an exponent; JavaScript
      // does for very large and very small numbers. Refuse rather than differ.
      if (/e/i.test(text)) {
        throw new SopsFormatError(
          `cannot encode ${text}: quote it as a string`,
        );
      }
      return Buffer.from(text);
    }
    default:
      throw new SopsFormatError(`unsupported value type ${typeof value}`);
  }
}

export function encryptLeaf(
  value: SopsLeaf,
  key: Buffer,
  additionalData: string,
): string {
  if (value === '') {
    return '';
  }
  const iv = randomBytes(NONCE_SIZE);
  const cipher = createCipheriv('aes-256-gcm', key, iv, {
    authTagLength: TAG_SIZE,
  });
  cipher.setAAD(Buffer.from(additionalData, 'utf8'));
  const data = Buffer.concat([cipher.update(leafBytes(value)), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString(
    'base64',
  )},tag:${tag.toString('base64')},type:${leafType(value)}]`;
}

export function decryptLeaf(
  text: string,
  key: Buffer,
  additionalData: string,
): SopsLeaf {
  if (text === '') {
    return '';
  }
  const m = ENC_RE.exec(text);
  if (!m) {
    throw new SopsFormatError('value does not match the sops data format');
  }
  const [, data, iv, tag, type] = m;
  const decipher = createDecipheriv(
    'aes-256-gcm',
    key,
    Buffer.from(iv, 'base64'),
    { authTagLength: TAG_SIZE },
  );
  decipher.setAAD(Buffer.from(additionalData, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  let plain: string;
  try {
    plain = Buffer.concat([
      decipher.update(Buffer.from(data, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new SopsFormatError(
      `could not decrypt with AES_GCM (additional data ${JSON.stringify(
        additionalData,
      )})`,
    );
  }
  switch (type) {
    case 'str':
      return plain;
    case 'int':
    case 'float':
      return Number(plain);
    case 'bool':
      return /^(1|t|true)$/i.test(plain);
    default:
      throw new SopsFormatError(`unsupported encrypted value type ${type}`);
  }
}

/** Go's time.Format(time.RFC3339) for a UTC time: no fractional seconds. */
export function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

type Leaf = { node: Scalar; path: string[] };

/** walkBranch/walkSlice: leaves in document order; sequence indices are not part of the path. */
function collectLeaves(node: unknown, path: string[], out: Leaf[]): void {
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = isScalar(item.key) ? item.key.value : item.key;
      if (typeof k !== 'string') {
        throw new SopsFormatError(
          `only string keys are supported (at ${path.join('.') || '<root>'})`,
        );
      }
      if (path.length === 0 && k === 'sops') continue;
      collectLeaves(item.value, [...path, k], out);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) collectLeaves(item, path, out);
  } else if (isScalar(node)) {
    if (node.value === null || node.value === undefined) return;
    out.push({ node, path });
  } else if (node !== null && node !== undefined) {
    throw new SopsFormatError(
      `unsupported YAML node at ${path.join('.') || '<root>'}`,
    );
  }
}

/** Which leaves sops encrypts (sops.go Tree.shouldBeEncrypted, without the comment rules). */
export type SopsSelection = {
  unencryptedSuffix?: string;
  encryptedSuffix?: string;
  unencryptedRegex?: string;
  encryptedRegex?: string;
};

function shouldEncrypt(path: string[], sel: SopsSelection): boolean {
  let encrypted = true;
  if (
    sel.unencryptedSuffix &&
    path.some(p => p.endsWith(sel.unencryptedSuffix!))
  ) {
    encrypted = false;
  }
  if (sel.encryptedSuffix) {
    encrypted = path.some(p => p.endsWith(sel.encryptedSuffix!));
  }
  if (sel.unencryptedRegex) {
    const re = new RegExp(sel.unencryptedRegex);
    if (path.some(p => re.test(p))) encrypted = false;
  }
  if (sel.encryptedRegex) {
    const re = new RegExp(sel.encryptedRegex);
    encrypted = path.some(p => re.test(p));
  }
  return encrypted;
}

/** sops.MACOnlyEncryptedInitialization: sha256("sops"). */
const MAC_ONLY_ENCRYPTED_INIT = createHash('sha256').update('sops').digest();

function toLeaf(node: Scalar, path: string[]): SopsLeaf {
  const v = node.value;
  if (
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    typeof v === 'number'
  ) {
    return v;
  }
  throw new SopsFormatError(
    `unsupported value type ${typeof v} at ${path.join('.')}`,
  );
}

export type EncryptOptions = {
  /** age X25519 recipients (`age1...`); at least one. */
  recipients: string[];
  /** Leaves under a key matching this are encrypted; everything else stays plain. */
  encryptedRegex?: string;
  /** Fixed time for `lastmodified` (tests); default now. */
  now?: Date;
};

export function isAgeRecipient(value: string): boolean {
  return AGE_RECIPIENT_RE.test(value);
}

/**
 * Encrypts one YAML document (a single object, e.g. a Kubernetes Secret) into
 * SOPS's format. Returns the file text. The input document is not modified.
 */
export async function encryptYamlDocument(
  plain: Document,
  options: EncryptOptions,
): Promise<string> {
  if (options.recipients.length === 0) {
    throw new SopsFormatError('at least one age recipient is required');
  }
  for (const r of options.recipients) {
    if (!isAgeRecipient(r)) {
      throw new SopsFormatError(`not an age recipient: ${r}`);
    }
  }
  const doc = plain.clone();
  if (!isMap(doc.contents)) {
    throw new SopsFormatError('the document must be a mapping');
  }
  if (doc.contents.has('sops')) {
    throw new SopsFormatError(
      'the document is already encrypted (has a sops key)',
    );
  }

  const dataKey = randomBytes(32);
  const mac = createHash('sha512');
  const leaves: Leaf[] = [];
  collectLeaves(doc.contents, [], leaves);
  for (const { node, path } of leaves) {
    const value = toLeaf(node, path);
    mac.update(leafBytes(value));
    if (shouldEncrypt(path, { encryptedRegex: options.encryptedRegex })) {
      node.value = encryptLeaf(value, dataKey, `${path.join(':')}:`);
      node.type = Scalar.PLAIN;
    }
  }

  const lastModified = rfc3339(options.now ?? new Date());
  const encryptedMac = encryptLeaf(
    mac.digest('hex').toUpperCase(),
    dataKey,
    lastModified,
  );

  const age = [];
  for (const recipient of options.recipients) {
    const e = new Encrypter();
    e.addRecipient(recipient);
    age.push({
      enc: armor.encode(await e.encrypt(dataKey)),
      recipient,
    });
  }

  const lastModifiedNode = new Scalar(lastModified);
  lastModifiedNode.type = Scalar.QUOTE_DOUBLE;
  // Keys in the order sops itself writes them (sorted), so that a later
  // `sops updatekeys` or edit shows a minimal diff.
  const meta = new YAMLMap();
  meta.set('age', doc.createNode(age));
  if (options.encryptedRegex) {
    meta.set('encrypted_regex', options.encryptedRegex);
  }
  meta.set('lastmodified', lastModifiedNode);
  meta.set('mac', encryptedMac);
  meta.set('version', SOPS_FORMAT_VERSION);
  doc.contents.set('sops', meta);
  return doc.toString({ lineWidth: 0, directives: false });
}

/** The metadata of a SOPS file, without decrypting anything. */
export type SopsMetadata = {
  recipients: string[];
  lastModified: string;
  encryptedRegex?: string;
  version?: string;
};

export function readSopsMetadata(text: string): SopsMetadata | undefined {
  const doc = parseDocument(text);
  const sops = doc.toJS()?.sops;
  if (!sops || typeof sops !== 'object') return undefined;
  return {
    recipients: Array.isArray(sops.age)
      ? sops.age.map((a: { recipient?: string }) => String(a.recipient))
      : [],
    lastModified: String(sops.lastmodified ?? ''),
    encryptedRegex: sops.encrypted_regex,
    version: sops.version,
  };
}

/**
 * Decrypts a SOPS YAML file with age identities (`AGE-SECRET-KEY-1...`) and
 * verifies its MAC. Returns the plain document (without the sops block).
 * Used by tests and by nothing that runs in the portal: the backend never
 * holds a private key.
 */
export async function decryptYamlDocument(
  text: string,
  identities: string[],
): Promise<Document> {
  const doc = parseDocument(text);
  if (doc.errors.length) {
    throw new SopsFormatError(`invalid YAML: ${doc.errors[0].message}`);
  }
  if (!isMap(doc.contents)) {
    throw new SopsFormatError('the document must be a mapping');
  }
  const meta = doc.contents.get('sops') as YAMLMap | undefined;
  if (!isMap(meta)) {
    throw new SopsFormatError('no sops metadata: the file is not encrypted');
  }
  const metaJs = meta.toJSON() as Record<string, any>;
  const d = new Decrypter();
  for (const id of identities) d.addIdentity(id);
  let dataKey: Buffer | undefined;
  const errors: string[] = [];
  for (const stanza of metaJs.age ?? []) {
    try {
      dataKey = Buffer.from(await d.decrypt(armor.decode(String(stanza.enc))));
      break;
    } catch (e) {
      errors.push(`${stanza.recipient}: ${(e as Error).message}`);
    }
  }
  if (!dataKey) {
    throw new SopsFormatError(
      `no identity could decrypt the data key (${
        errors.join('; ') || 'no age stanzas'
      })`,
    );
  }
  if (metaJs.encrypted_comment_regex || metaJs.unencrypted_comment_regex) {
    throw new SopsFormatError('comment encryption rules are not supported');
  }
  const selection: SopsSelection = {
    unencryptedSuffix: metaJs.unencrypted_suffix,
    encryptedSuffix: metaJs.encrypted_suffix,
    unencryptedRegex: metaJs.unencrypted_regex,
    encryptedRegex: metaJs.encrypted_regex,
  };
  const macOnlyEncrypted = metaJs.mac_only_encrypted === true;
  doc.contents.delete('sops');
  const mac = createHash('sha512');
  if (macOnlyEncrypted) mac.update(MAC_ONLY_ENCRYPTED_INIT);
  const leaves: Leaf[] = [];
  collectLeaves(doc.contents, [], leaves);
  for (const { node, path } of leaves) {
    let value = toLeaf(node, path);
    const encrypted = shouldEncrypt(path, selection);
    if (encrypted) {
      if (typeof value !== 'string') {
        throw new SopsFormatError(
          `${path.join('.')}: expected an encrypted value`,
        );
      }
      value = decryptLeaf(value, dataKey, `${path.join(':')}:`);
      node.value = value;
      // A decrypted string must stay a string when written out again.
      if (typeof value === 'string') node.type = Scalar.QUOTE_DOUBLE;
    }
    if (!macOnlyEncrypted || encrypted) mac.update(leafBytes(value));
  }
  const expected = decryptLeaf(
    String(metaJs.mac),
    dataKey,
    String(metaJs.lastmodified),
  );
  const actual = mac.digest('hex').toUpperCase();
  if (expected !== actual) {
    throw new SopsFormatError(
      'MAC mismatch: the file was changed or is damaged',
    );
  }
  return doc;
}
