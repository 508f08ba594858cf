import { parseEntityRef } from '@backstage/catalog-model';

/** The entity's Storage tab, as a notification links to it. */
export function storageTabLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/storage`;
}
