/**
 * An entity as the storage backend's routes name it: kind, namespace and
 * name (the catalog's compound reference).
 *
 * @public
 */
export interface StorageEntityName {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * The storage backend's path of an entity's routes, below the plugin's base
 * URL. The kind is lower-cased, as entity references compare it.
 *
 * @public
 */
export function entityApiPath(entity: StorageEntityName): string {
  return `/entities/${[
    entity.kind.toLocaleLowerCase('en-US'),
    entity.namespace,
    entity.name,
  ]
    .map(encodeURIComponent)
    .join('/')}`;
}

/**
 * The path of the plan that moves a CloudNativePG Cluster of the entity
 * onto an OpenEBS class: asked by the Storage tab and by the scaffolder's
 * pull-request action, on behalf of the same user.
 *
 * @public
 */
export function postgresMigrationPlanPath(
  entity: StorageEntityName,
  database: {
    cluster: string;
    namespace: string;
    name: string;
    targetClass: string;
  },
): string {
  const { cluster, namespace, name, targetClass } = database;
  return `${entityApiPath(entity)}/databases/${[cluster, namespace, name]
    .map(encodeURIComponent)
    .join('/')}/migration-plan?${new URLSearchParams({ targetClass })}`;
}
