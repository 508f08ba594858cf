import { InputError } from '@backstage/errors';
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  Scalar,
  YAMLMap,
} from 'yaml';

/** A claim the portal moved onto another class, and the volume it is on now. */
export interface ClaimClassChange {
  namespace: string;
  claim: string;
  targetClass: string;
  /** The volume the live claim is bound to; written into a claim's manifest. */
  volumeName?: string;
}

export interface RepositoryText {
  path: string;
  content: string;
}

export interface ClaimClassResult {
  /** The files with the change, whole. */
  changed: RepositoryText[];
  /** What was found where, one sentence each (log and pull request text). */
  found: string[];
  /** Files that are not YAML the parser reads, with its message. */
  unreadable: string[];
}

/** A change of a file's text: the characters from start to end become text. */
type Edit = { start: number; end: number; text: string };

/**
 * Brings a repository's manifests in line with a claim the portal migrated:
 * the claim keeps its name and is now on `targetClass`, bound to
 * `volumeName`. Both fields of a claim are immutable, so a manifest that
 * still names the old class makes every later reconcile fail; written as the
 * live claim has them, the apply changes nothing. Only those two scalars are
 * touched, in place: comments, order and formatting stay as the repository
 * has them. A StatefulSet's volumeClaimTemplates are reported, not changed:
 * Kubernetes refuses changes to them on an existing StatefulSet, and the
 * claim exists, so its template is not used for it again.
 */
export function moveClaimClass(
  files: RepositoryText[],
  change: ClaimClassChange,
): ClaimClassResult {
  const result: ClaimClassResult = { changed: [], found: [], unreadable: [] };
  for (const file of files) {
    let docs: Document.Parsed[];
    try {
      docs = parseAllDocuments(file.content) as Document.Parsed[];
    } catch (error) {
      result.unreadable.push(`${file.path}: ${(error as Error).message}`);
      continue;
    }
    const broken = docs.find(d => d.errors.length > 0);
    if (broken) {
      result.unreadable.push(`${file.path}: ${broken.errors[0].message}`);
      continue;
    }
    const edits: Edit[] = [];
    for (const doc of docs) {
      const manifest = doc.toJS();
      if (!inNamespace(manifest, change.namespace)) continue;
      if (isClaim(manifest, change.claim)) {
        const spec = doc.get('spec');
        if (!isMap(spec) || spec.flow) {
          throw new InputError(
            `${file.path}: claim ${change.claim} has no block-style spec to change`,
          );
        }
        const own = claimEdits(file, spec, change);
        edits.push(...own);
        result.found.push(
          own.length
            ? `${file.path}: PersistentVolumeClaim ${change.claim} now names ${
                change.targetClass
              }${change.volumeName ? ` and volume ${change.volumeName}` : ''}`
            : `${file.path}: PersistentVolumeClaim ${change.claim} already names ${change.targetClass}`,
        );
      }
      const template = templateMaking(manifest, change.claim);
      if (template) {
        result.found.push(
          `${file.path}: StatefulSet ${manifest.metadata.name} makes ${change.claim} from its volumeClaimTemplates "${template}", left as it is (Kubernetes refuses changes to them on an existing StatefulSet; the claim exists, so the template is not used for it again)`,
        );
      }
    }
    if (edits.length > 0) {
      result.changed.push({
        path: file.path,
        content: applyEdits(file, edits),
      });
    }
  }
  return result;
}

function claimEdits(
  file: RepositoryText,
  spec: YAMLMap,
  change: ClaimClassChange,
): Edit[] {
  const wanted: [string, string | undefined][] = [
    ['storageClassName', change.targetClass],
    ['volumeName', change.volumeName],
  ];
  const edits: Edit[] = [];
  for (const [key, value] of wanted) {
    if (value === undefined) continue;
    try {
      const edit = setScalar(file.content, spec, key, value);
      if (edit) edits.push(edit);
    } catch (error) {
      throw new InputError(
        `${file.path}: claim ${change.claim}: ${(error as Error).message}`,
      );
    }
  }
  return edits;
}

/** A manifest of that namespace, or of none (its Kustomization's then). */
export function inNamespace(manifest: any, namespace: string): boolean {
  return (
    manifest?.metadata?.namespace === undefined ||
    manifest.metadata.namespace === namespace
  );
}

function isClaim(manifest: any, claim: string): boolean {
  return (
    manifest?.kind === 'PersistentVolumeClaim' &&
    manifest.metadata?.name === claim
  );
}

/** The volumeClaimTemplate of a StatefulSet whose claims include `claim`. */
function templateMaking(manifest: any, claim: string): string | undefined {
  if (manifest?.kind !== 'StatefulSet') return undefined;
  const set = manifest.metadata?.name;
  const templates = manifest.spec?.volumeClaimTemplates;
  if (!set || !Array.isArray(templates)) return undefined;
  return templates
    .map((t: any) => t?.metadata?.name)
    .find(
      (name: unknown) =>
        typeof name === 'string' &&
        claim.startsWith(`${name}-${set}-`) &&
        /^\d+$/.test(claim.slice(`${name}-${set}-`.length)),
    );
}

/**
 * The edit that gives `key` of a block map the plain scalar `value`: the
 * value's characters replaced, or a line added after the map's last entry
 * at its indentation. Undefined when it already has that value.
 */
function setScalar(
  text: string,
  map: YAMLMap,
  key: string,
  value: string,
): Edit | undefined {
  const pair = map.items.find(p => isScalar(p.key) && p.key.value === key);
  if (pair) {
    const current = pair.value;
    if (isScalar(current) && current.value === value) return undefined;
    if (!isScalar(current) || !current.range) {
      throw new Error(`${key} is not a plain value`);
    }
    const [start, end] = current.range;
    // An empty value (`key:`) has no characters of its own.
    const gap = start === end && text[start - 1] === ':' ? ' ' : '';
    return { start, end, text: `${gap}${value}` };
  }
  const first = map.items[0]?.key as Scalar | undefined;
  const last = map.items[map.items.length - 1];
  const lastEnd = (last?.value as Scalar | undefined)?.range?.[1];
  if (!first?.range || lastEnd === undefined) {
    throw new Error(`cannot add ${key}: its map is empty`);
  }
  const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
  const indent = ' '.repeat(first.range[0] - lineStart);
  // At the end of the last value's line, after any comment there.
  const at = endOfLine(
    text,
    isSeq(last.value) || isMap(last.value) ? lastEnd - 1 : lastEnd,
  );
  return { start: at, end: at, text: `\n${indent}${key}: ${value}` };
}

/** The offset of the line break ending the line that holds `offset`. */
function endOfLine(text: string, offset: number): number {
  const at = text.indexOf('\n', Math.max(offset, 0));
  return at === -1 ? text.length : at;
}

function applyEdits(file: RepositoryText, edits: Edit[]): string {
  let text = file.content;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  return text;
}
