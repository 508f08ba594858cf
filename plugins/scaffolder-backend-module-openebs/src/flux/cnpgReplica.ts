import { posix } from 'node:path';
import { InputError } from '@backstage/errors';
import type { PostgresMigrationPlan } from '@openebs-portal/plugin-openebs-storage-common';
import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isNode, isSeq, parse, parseAllDocuments } from 'yaml';
import { inNamespace, RepositoryText } from './claimClass';

/** The parts of the portal's CloudNativePG migration plan that belong in Git. */
export type CnpgReplicaPlan = Pick<
  PostgresMigrationPlan,
  'namespace' | 'cluster' | 'target' | 'existingPatch' | 'replicaCluster'
>;

export interface CnpgReplicaResult {
  /** The files with the change, whole (new files included). */
  changed: RepositoryText[];
  /** What was found or done where, one sentence each. */
  found: string[];
  /** Files that are not YAML the parser reads, with its message. */
  unreadable: string[];
}

const CNPG_API = 'postgresql.cnpg.io/v1';

type Parsed = { file: RepositoryText; docs: Document.Parsed[] };

/**
 * Writes the first phase of the plan into a repository's manifests: the
 * existing Cluster's manifest gets the plan's merge patch (it learns of the
 * new Cluster and stays the primary), and the new Cluster, which copies and
 * then follows it, goes into a file of its own next to it, listed in that
 * directory's kustomization.yaml when there is one. Nothing else is touched;
 * comments and the other documents stay. A repository that already holds
 * the plan is left as it is; one whose file or Cluster of the new name says
 * otherwise is refused, changing nothing.
 */
export function addCnpgReplica(
  files: RepositoryText[],
  plan: CnpgReplicaPlan,
): CnpgReplicaResult {
  const result: CnpgReplicaResult = { changed: [], found: [], unreadable: [] };
  const parsed: Parsed[] = [];
  for (const file of files) {
    try {
      const docs = parseAllDocuments(file.content) as Document.Parsed[];
      const broken = docs.find(d => d.errors.length > 0);
      if (broken) throw broken.errors[0];
      parsed.push({ file, docs });
    } catch (error) {
      result.unreadable.push(`${file.path}: ${(error as Error).message}`);
    }
  }
  const existing = clusterDocuments(parsed, plan.namespace, plan.cluster);
  if (existing.length !== 1) {
    throw new InputError(
      existing.length === 0
        ? `No manifest defines CloudNativePG Cluster ${plan.cluster} of namespace ${plan.namespace} (${files.length} YAML file(s) read)`
        : `Cluster ${plan.cluster} is defined more than once (${existing
            .map(e => e.file.path)
            .join(', ')}): which one Flux applies is not clear`,
    );
  }
  const [{ file, docs, doc }] = existing;
  const directory = posix.dirname(file.path);
  const replicaPath = posix.join(directory, `${plan.target.name}.yaml`);
  const replica = parse(plan.replicaCluster);

  const already = clusterDocuments(parsed, plan.namespace, plan.target.name);
  if (already.some(a => !isDeepStrictEqual(a.doc.toJS(), replica))) {
    throw new InputError(
      `${already[0].file.path} already defines a Cluster ${plan.target.name} that is not the plan's: the pull request would replace it`,
    );
  }
  const taken = parsed.find(p => p.file.path === replicaPath);
  if (taken && already.length === 0) {
    throw new InputError(
      `${replicaPath} exists and is not the plan's Cluster ${plan.target.name}: the pull request would replace it`,
    );
  }

  if (mergePatch(doc, [], parse(plan.existingPatch))) {
    result.changed.push({ path: file.path, content: textOf(docs) });
    result.found.push(
      `${file.path}: Cluster ${plan.cluster} learns of ${plan.target.name} and stays the primary`,
    );
  } else {
    result.found.push(
      `${file.path}: Cluster ${plan.cluster} already knows of ${plan.target.name}`,
    );
  }

  if (already.length > 0) {
    result.found.push(
      `${already[0].file.path}: Cluster ${plan.target.name} is already the plan's`,
    );
  } else {
    result.changed.push({
      path: replicaPath,
      content: `# A replica of ${plan.cluster} on ${plan.target.storageClass}, proposed by the portal's migration plan.\n---\n${plan.replicaCluster}`,
    });
    result.found.push(
      `${replicaPath}: Cluster ${plan.target.name} on ${plan.target.storageClass}, copied from ${plan.cluster} by pg_basebackup and following it`,
    );
  }
  const listed = listInKustomization(
    parsed,
    directory,
    posix.basename(replicaPath),
  );
  if (listed) {
    result.changed.push(listed.file);
    result.found.push(listed.found);
  }
  return result;
}

function clusterDocuments(parsed: Parsed[], namespace: string, name: string) {
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
 * Applies a JSON merge patch (RFC 7386) to the document at `path`: maps
 * merge key by key, anything else (lists included) is replaced, null
 * removes. Whether anything changed.
 */
function mergePatch(doc: Document, path: string[], patch: unknown): boolean {
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
function textOf(docs: Document.Parsed[]): string {
  return docs.map(d => d.toString()).join('');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The directory's kustomization.yaml with the new file added to its
 * resources: Flux builds a directory with one from what it lists only.
 */
function listInKustomization(
  parsed: Parsed[],
  directory: string,
  fileName: string,
): { file: RepositoryText; found: string } | undefined {
  const kustomization = parsed.find(({ file }) =>
    ['kustomization.yaml', 'kustomization.yml'].some(
      name => file.path === posix.join(directory, name),
    ),
  );
  if (!kustomization) return undefined;
  const [doc] = kustomization.docs;
  const resources = doc.get('resources', true);
  if (isSeq(resources)) {
    if (resources.toJSON().includes(fileName)) return undefined;
    resources.add(doc.createNode(fileName));
  } else {
    doc.set('resources', doc.createNode([fileName]));
  }
  return {
    file: {
      path: kustomization.file.path,
      content: textOf(kustomization.docs),
    },
    found: `${kustomization.file.path}: lists ${fileName}`,
  };
}
