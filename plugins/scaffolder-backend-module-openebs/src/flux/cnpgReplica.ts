import { posix } from 'node:path';
import { InputError } from '@backstage/errors';
import type { PostgresMigrationPlan } from '@openebs-portal/plugin-openebs-storage-common';
import { isDeepStrictEqual } from 'node:util';
import { isSeq, parse } from 'yaml';
import type { RepositoryText } from './claimClass';
import {
  clusterDocuments,
  ManifestEdits,
  mergePatch,
  ParsedManifest,
  parseManifests,
  textOf,
  theCluster,
} from './cnpgManifests';

/** The parts of the portal's CloudNativePG migration plan that belong in Git. */
export type CnpgReplicaPlan = Pick<
  PostgresMigrationPlan,
  'namespace' | 'cluster' | 'target' | 'existingPatch' | 'replicaCluster'
>;

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
): ManifestEdits {
  const { parsed, unreadable } = parseManifests(files);
  const result: ManifestEdits = { changed: [], found: [], unreadable };
  const { file, docs, doc } = theCluster(parsed, plan.namespace, plan.cluster);
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

/**
 * The directory's kustomization.yaml with the new file added to its
 * resources: Flux builds a directory with one from what it lists only.
 */
function listInKustomization(
  parsed: ParsedManifest[],
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
