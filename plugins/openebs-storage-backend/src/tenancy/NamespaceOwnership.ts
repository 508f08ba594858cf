import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { NamespaceTenancy } from './NamespaceTenancy';

/**
 * How a namespace relates to an entity's owners:
 * - `owned`: the platform records one of them as its owner;
 * - `foreign`: the platform records someone else;
 * - `unrecorded`: the platform records no owner (platform admins only).
 */
export type NamespaceAttribution =
  | { status: 'owned'; owner: string }
  | { status: 'foreign'; owner: string }
  | { status: 'unrecorded' };

/**
 * Entity refs compare case-insensitively, and an owner may be written short
 * (`team-shop` is `group:default/team-shop`). A value that is no entity ref
 * stays as written, so it matches nobody.
 */
export function normalizeOwnerRef(
  ref: string,
  defaultNamespace = 'default',
): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref.trim(), { defaultKind: 'group', defaultNamespace }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return ref;
  }
}

/**
 * The entity's owners: `spec.owner` (short refs are in the entity's own
 * namespace, as in the catalog) and its `ownedBy` relations.
 */
export function entityOwnerRefs(entity: Entity): string[] {
  const owners = new Set<string>();
  const specOwner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof specOwner === 'string' && specOwner.trim()) {
    owners.add(
      normalizeOwnerRef(specOwner, entity.metadata.namespace ?? 'default'),
    );
  }
  for (const relation of entity.relations ?? []) {
    if (relation.type === RELATION_OWNED_BY)
      owners.add(normalizeOwnerRef(relation.targetRef));
  }
  return Array.from(owners);
}

/**
 * Answers "whose is this namespace?" from the platform's record (the
 * {@link NamespaceTenancy}) and the cluster cache, never from the entity.
 */
export class NamespaceOwnership {
  constructor(private readonly tenancy: NamespaceTenancy) {}

  async ownerOf(
    cache: ClusterCache,
    namespace: string,
  ): Promise<string | undefined> {
    const [record] = cache.reflectors.namespaces.store.byIndex(
      'name',
      namespace,
    );
    const owner = await this.tenancy.ownerOf({
      cluster: cache.name,
      name: namespace,
      exists: record !== undefined,
      labels: record?.labels ?? {},
      annotations: record?.annotations ?? {},
    });
    return owner ? normalizeOwnerRef(owner) : undefined;
  }

  /** Attributes a namespace to the holders of `owners` (normalized refs). */
  async attribute(
    cache: ClusterCache,
    namespace: string,
    owners: string[],
  ): Promise<NamespaceAttribution> {
    const owner = await this.ownerOf(cache, namespace);
    if (owner === undefined) return { status: 'unrecorded' };
    return owners.includes(owner)
      ? { status: 'owned', owner }
      : { status: 'foreign', owner };
  }
}
