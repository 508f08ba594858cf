import { basename } from 'node:path';
import { ensureResources, GeneratedFile } from './manifests';
import { PLATFORM_PATHS } from './platformSpec';

/** The platform namespaces' kustomization.yaml, as the repository has them. */
export type ExistingNamespaceKustomizations = {
  openebsNs?: string;
  veleroNs?: string;
  /** kubernetes/apps/kustomization.yaml, where a repository lists its namespaces. */
  apps?: string;
};

/**
 * The kustomization.yaml of kube-system and of storage, listing the OpenEBS
 * and the Velero ks.yaml. Existing ones are extended, so that other apps in
 * these namespaces stay. Where the repository lists its namespace
 * directories (kubernetes/apps/kustomization.yaml), both are added to it;
 * without that file Flux builds the tree whole, and none is created (it
 * would leave the repository's other namespaces out).
 */
export function platformNamespaceFiles(
  existing: ExistingNamespaceKustomizations,
): GeneratedFile[] {
  const listing = (dir: string, ks: string, current?: string) => {
    const path = `${dir}/kustomization.yaml`;
    return { path, content: ensureResources(current, [ks], path) };
  };
  const namespaceDir = (path: string) => `./${basename(path)}`;
  return [
    listing(PLATFORM_PATHS.openebsNs, './openebs/ks.yaml', existing.openebsNs),
    listing(PLATFORM_PATHS.veleroNs, './velero/ks.yaml', existing.veleroNs),
    ...(existing.apps === undefined
      ? []
      : [
          {
            path: `${PLATFORM_PATHS.apps}/kustomization.yaml`,
            content: ensureResources(
              existing.apps,
              [
                namespaceDir(PLATFORM_PATHS.openebsNs),
                namespaceDir(PLATFORM_PATHS.veleroNs),
              ],
              `${PLATFORM_PATHS.apps}/kustomization.yaml`,
            ),
          },
        ]),
  ];
}
