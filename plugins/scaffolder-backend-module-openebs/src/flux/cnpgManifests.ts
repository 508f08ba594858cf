import { InputError } from '@backstage/errors';
import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isNode, parseAllDocuments } from 'yaml';
import { inNamespace, RepositoryText } from './claimClass';

/*
 * Reading and editing CloudNativePG Clusters in a repository's manifests,
 * in place: the `yaml` Document API keeps comments, order and the other
 * documents of a file.
 */

const CNPG_API = 'postgresql.cnpg.io/v1';

/** What an edit of the manifests did. */
export interface ManifestEdits {
  /** The files with the change, whole (new files included). */
  changed: RepositoryText[];
  /** What was found or done where, one sentence each. */
  found: string[];
  /** Files that are not YAML the parser reads, with its message. */
  unreadable: string[];
}

/** A file of the repository, every YAML document of it parsed. */
export type ParsedManifest = { file: RepositoryText; docs: Document.Parsed[] };

/** The files parsed; those the parser refuses are named with its message. */
export function parseManifests(files: RepositoryText[]): {
  parsed: ParsedManifest[];
  unreadable: string[];
} {
  const parsed: ParsedManifest[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    try {
      const docs = parseAllDocuments(file.content) as Document.Parsed[];
      const broken = docs.find(d => d.errors.length > 0);
      if (broken) throw broken.errors[0];
      parsed.push({ file, docs });
    } catch (error) {
      unreadable.push(`${file.path}: ${(error as Error).message}`);
    }
  }
  return { parsed, unreadable };
}

/** Every document defining CloudNativePG Cluster `name` of `namespace`. */
export function clusterDocuments(
  parsed: ParsedManifest[],
  namespace: string,
  name: string,
) {
  return parsed.flatMap(({ file, docs }) =>
    docs
      .filter(doc => {
        const m = doc.toJS();
        return (
          m?.apiVersion === CNPG_API &&
          m.kind === 'Cluster' &&
          m.metadata?.name === name &&
          inNamespace(m, namespace)
        );
      })
      .map(doc => ({ file, docs, doc })),
  );
}

/**
 * The one document defining the Cluster. None, or more than one (which one
 * Flux applies is then not clear), is refused.
 */
export function theCluster(
  parsed: ParsedManifest[],
  namespace: string,
  name: string,
) {
  const found = clusterDocuments(parsed, namespace, name);
  if (found.length !== 1) {
    throw new InputError(
      found.length === 0
        ? `No manifest defines CloudNativePG Cluster ${name} of namespace ${namespace} (${parsed.length} YAML file(s) read)`
        : `Cluster ${name} is defined more than once (${found
            .map(e => e.file.path)
            .join(', ')}): which one Flux applies is not clear`,
    );
  }
  return found[0];
}

/**
 * Applies a JSON merge patch (RFC 7386) to the document at `path`: maps
 * merge key by key, anything else (lists included) is replaced, null
 * removes. Whether anything changed.
 */
export function mergePatch(
  doc: Document,
  path: string[],
  patch: unknown,
): boolean {
  if (!isObject(patch)) {
    if (isDeepStrictEqual(toJS(doc, path), patch)) return false;
    doc.setIn(path, doc.createNode(patch));
    return true;
  }
  if (!isMap(path.length ? doc.getIn(path, true) : doc.contents)) {
    doc.setIn(path, doc.createNode({}));
  }
  let changed = false;
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      changed = doc.deleteIn([...path, key]) || changed;
    } else {
      changed = mergePatch(doc, [...path, key], value) || changed;
    }
  }
  return changed;
}

function toJS(doc: Document, path: string[]): unknown {
  const node = doc.getIn(path, true);
  return isNode(node) ? node.toJSON() : node;
}

/** A parsed file's text again, every document as edited. */
export function textOf(docs: Document.Parsed[]): string {
  return docs.map(d => d.toString()).join('');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
