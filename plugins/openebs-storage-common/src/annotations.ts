/**
 * The Kubernetes plugin's entity annotations, which this plugin reads the same
 * way so that an entity maps to the same objects in both tabs.
 *
 * @public
 */
export const KUBERNETES_ANNOTATIONS = Object.freeze({
  id: 'backstage.io/kubernetes-id',
  labelSelector: 'backstage.io/kubernetes-label-selector',
  namespace: 'backstage.io/kubernetes-namespace',
  cluster: 'backstage.io/kubernetes-cluster',
});

/**
 * Whether an entity has the annotations that map it to Kubernetes objects.
 *
 * @public
 */
export function hasKubernetesAnnotations(entity: {
  metadata: { annotations?: Record<string, string> };
}): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[KUBERNETES_ANNOTATIONS.id] ||
      annotations[KUBERNETES_ANNOTATIONS.labelSelector],
  );
}
