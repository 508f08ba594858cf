import { Entity } from '@backstage/catalog-model';
import { hasKubernetesAnnotations } from '@openebs-portal/plugin-openebs-storage-common';

/**
 * Whether the Storage tab applies to an entity: it must carry the Kubernetes
 * plugin's `backstage.io/kubernetes-id` or
 * `backstage.io/kubernetes-label-selector` annotation, which is how the
 * backend finds its pods and volumes.
 *
 * @public
 */
export function isOpenebsStorageAvailable(entity: Entity): boolean {
  return hasKubernetesAnnotations(entity);
}
