import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { KUBERNETES_ANNOTATIONS } from '@openebs-portal/plugin-openebs-storage-common';
import { TenancyConfig } from '../config';
import { EntityObjectSelection } from '../entities/entityObjectSelection';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { findEntityClaims } from '../storage/EntityVolumes';
import { entityOwnerRefs, NamespaceOwnership } from './NamespaceOwnership';

/** Who asks, as the platform knows them (never from the entity). */
export interface Requester {
  userEntityRef: string;
  /** The user's ownership refs (user and groups), normalized. */
  ownershipEntityRefs: string[];
  /** Holds `openebs.storage.restore.admin`. */
  isAdmin: boolean;
}

export interface NamespaceAccessRequest {
  cache: ClusterCache;
  namespace: string;
  entity: Entity;
  entityRef: string;
  selection: EntityObjectSelection;
  requester: Requester;
  /** The verb the refusals use: `restore`, `migrate`. */
  action: string;
}

/** The entity's cluster annotation, when it has one, names the cluster. */
export function checkEntityCluster(
  selection: EntityObjectSelection,
  cluster: string,
  entityRef: string,
) {
  if (selection.cluster && selection.cluster !== cluster) {
    throw new NotAllowedError(
      `${entityRef} runs in cluster ${selection.cluster} (${KUBERNETES_ANNOTATIONS.cluster}), not in ${cluster}`,
    );
  }
}

/**
 * Whether an entity's request may act on a namespace: the entity's
 * annotations must lead to it (they may narrow), and the platform must
 * record it as the entity's owner's (or, as configured, a group of the
 * requester's); unrecorded namespaces are the platform admins'. Returns the
 * recorded owner (undefined: unrecorded, the requester being an admin).
 */
export async function checkNamespaceAccess(
  request: NamespaceAccessRequest,
  ownership: NamespaceOwnership,
  tenancy: TenancyConfig,
): Promise<string | undefined> {
  const { cache, namespace, entityRef, entity, requester, action } = request;
  const { namespaces } = findEntityClaims(cache, request.selection);
  if (!namespaces.includes(namespace)) {
    throw new NotAllowedError(
      `Namespace ${namespace} does not belong to ${entityRef} in cluster ${cache.name}. ` +
        `If its workload was deleted, add the ${KUBERNETES_ANNOTATIONS.namespace} annotation to the entity.`,
    );
  }
  const owner = await ownership.ownerOf(cache, namespace);
  if (owner === undefined) {
    if (requester.isAdmin) return undefined;
    throw new NotAllowedError(
      `Namespace ${namespace} of cluster ${cache.name} has no recorded owner: only platform admins (openebs.storage.restore.admin) may ${action} it`,
    );
  }
  const allowed = [
    ...entityOwnerRefs(entity),
    ...(tenancy.matchRequesterOwnership ? requester.ownershipEntityRefs : []),
  ];
  if (!allowed.includes(owner)) {
    throw new NotAllowedError(
      `Namespace ${namespace} of cluster ${cache.name} is recorded as ${owner}'s, not as the owner of ${entityRef}`,
    );
  }
  return owner;
}
