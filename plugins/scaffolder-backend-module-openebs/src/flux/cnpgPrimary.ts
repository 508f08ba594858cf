import type { RepositoryText } from './claimClass';
import {
  ManifestEdits,
  mergePatch,
  parseManifests,
  textOf,
  theCluster,
} from './cnpgManifests';

/** Two CloudNativePG Clusters that follow each other, and which one leads. */
export interface CnpgPrimaryChange {
  namespace: string;
  /** The Cluster that takes the writes. */
  primary: string;
  /** The other one: it follows the primary. */
  replica: string;
}

/**
 * Writes a hand-over that has happened into the repository: both Clusters'
 * `replica` sections name the new primary, each with the other as its
 * source, as CloudNativePG's distributed topology has them after a
 * switchover (or its rollback). Without this, Flux's next apply would hand
 * the primary back. The promotion token is never written: it is one
 * hand-over's, read from the live Cluster, and spent once used. Nothing else
 * is touched; a repository that already says so is left as it is; a Cluster
 * missing or defined twice is refused, changing nothing.
 */
export function recordCnpgPrimary(
  files: RepositoryText[],
  change: CnpgPrimaryChange,
): ManifestEdits {
  const { parsed, unreadable } = parseManifests(files);
  const result: ManifestEdits = { changed: [], found: [], unreadable };
  const { primary, replica, namespace } = change;
  // Both found before either is changed: a refusal changes nothing.
  const clusters = [primary, replica].map(name => ({
    name,
    source: name === primary ? replica : primary,
    ...theCluster(parsed, namespace, name),
  }));
  for (const { name, source, file, docs, doc } of clusters) {
    const patch = {
      spec: { replica: { primary, source, promotionToken: null } },
    };
    const role = name === primary ? 'the primary' : `a replica of ${primary}`;
    if (mergePatch(doc, [], patch)) {
      const edited = { path: file.path, content: textOf(docs) };
      // Both Clusters in one file: the file once, with both edits.
      result.changed = [
        ...result.changed.filter(f => f.path !== file.path),
        edited,
      ];
      result.found.push(`${file.path}: Cluster ${name} is ${role}`);
    } else {
      result.found.push(`${file.path}: Cluster ${name} is already ${role}`);
    }
  }
  return result;
}
