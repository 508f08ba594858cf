import { ensureResources, GeneratedFile } from './manifests';
import { PLATFORM_PATHS } from './platformSpec';

/** The platform namespaces' kustomization.yaml, as the repository has them. */
export type ExistingNamespaceKustomizations = {
  openebsNs?: string;
  veleroNs?: string;
};

/**
 * The kustomization.yaml of kube-system and of storage, listing the OpenEBS
 * and the Velero ks.yaml. Existing ones are extended, so that other apps in
 * these namespaces stay.
 */
export function platformNamespaceFiles(
  existing: ExistingNamespaceKustomizations,
): GeneratedFile[] {
  const listing = (dir: string, ks: string, current?: string) => {
    const path = `${dir}/kustomization.yaml`;
    return { path, content: ensureResources(current, [ks], path) };
  };
  return [
    listing(PLATFORM_PATHS.openebsNs, './openebs/ks.yaml', existing.openebsNs),
    listing(PLATFORM_PATHS.veleroNs, './velero/ks.yaml', existing.veleroNs),
  ];
}
