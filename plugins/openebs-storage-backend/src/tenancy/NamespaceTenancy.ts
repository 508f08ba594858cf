/**
 * A namespace as a {@link NamespaceTenancy} sees it: what the cluster says
 * about it, never what a catalog entity says.
 *
 * @public
 */
export interface TenancyNamespace {
  /** The cluster's name in `kubernetes.clusterLocatorMethods`. */
  cluster: string;
  /** The namespace's name. */
  name: string;
  /** Whether the namespace exists (false for one deleted since its backup). */
  exists: boolean;
  /** Its labels as the cluster has them (empty when it does not exist). */
  labels: Record<string, string>;
  /** Its annotations, but kubectl's last-applied copy of the object. */
  annotations: Record<string, string>;
}

/**
 * Where the platform records who owns a namespace. The storage plugin
 * attributes volumes, and allows restores, only where this says the entity's
 * owner owns the namespace; a catalog entity's annotations can only narrow
 * that. Replace the default (an annotation on the Namespace object) through
 * `openebsStorageTenancyExtensionPoint`, for example with a namespace → owner
 * map or a lookup in an inventory the platform keeps.
 *
 * @public
 */
export interface NamespaceTenancy {
  /**
   * The owner the platform records for a namespace, as an entity ref such as
   * `group:default/team-shop`; `undefined` when nothing is recorded, which
   * leaves the namespace to platform admins.
   */
  ownerOf(
    namespace: TenancyNamespace,
  ): Promise<string | undefined> | string | undefined;
}

/**
 * The default tenancy: the owner is an annotation on the Namespace object,
 * written by the platform's GitOps (a label value cannot hold `:` or `/`).
 * Teams that cannot edit Namespace objects cannot change it.
 *
 * @public
 */
export class AnnotationNamespaceTenancy implements NamespaceTenancy {
  constructor(private readonly annotation: string) {}

  /** The annotation's value, or `undefined` when it is absent or blank. */
  ownerOf(namespace: TenancyNamespace): string | undefined {
    const value = namespace.annotations[this.annotation]?.trim();
    return value || undefined;
  }
}
