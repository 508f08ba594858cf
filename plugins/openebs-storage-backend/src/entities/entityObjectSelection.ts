import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { KUBERNETES_ANNOTATIONS } from '@openebs-portal/plugin-openebs-storage-common';
import { LabelSelector, parseLabelSelector } from './labelSelector';

/**
 * Which Kubernetes objects belong to an entity: the same mapping as the
 * Kubernetes plugin's, so both tabs show the same workloads.
 */
export interface EntityObjectSelection {
  selector: LabelSelector;
  /** Restricts the search to one namespace when the entity names one. */
  namespace?: string;
  /** Restricts the search to one cluster when the entity names one. */
  cluster?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Reads the Kubernetes annotations of an entity.
 *
 * As in the Kubernetes plugin, `kubernetes-label-selector` wins over
 * `kubernetes-id`, which stands for `backstage.io/kubernetes-id=<id>`.
 * Returns undefined for an entity without either annotation; throws an
 * InputError for a malformed one.
 */
export function selectEntityObjects(
  entity: Entity,
): EntityObjectSelection | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const labelSelector = annotations[KUBERNETES_ANNOTATIONS.labelSelector];
  const id = annotations[KUBERNETES_ANNOTATIONS.id];
  const namespace = annotations[KUBERNETES_ANNOTATIONS.namespace]?.trim();
  const cluster = annotations[KUBERNETES_ANNOTATIONS.cluster]?.trim();

  let selector: LabelSelector;
  if (labelSelector !== undefined) {
    selector = parseLabelSelector(labelSelector);
  } else if (id !== undefined) {
    selector = parseLabelSelector(`${KUBERNETES_ANNOTATIONS.id}=${id.trim()}`);
  } else {
    return undefined;
  }

  if (namespace !== undefined && !DNS_LABEL.test(namespace)) {
    throw new InputError(
      `Annotation ${KUBERNETES_ANNOTATIONS.namespace} has an invalid namespace "${namespace}"`,
    );
  }
  return {
    selector,
    namespace: namespace || undefined,
    cluster: cluster || undefined,
  };
}
