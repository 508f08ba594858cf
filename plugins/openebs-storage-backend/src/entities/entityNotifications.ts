import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { entityOwnerRefs } from '../tenancy/NamespaceOwnership';

/** The entity's Storage tab, as a notification links to it. */
export function storageTabLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/storage`;
}

/** What telling an entity's owners needs (notifications are optional). */
export interface EntityNotifier {
  notifications?: NotificationService;
  catalog: CatalogService;
  auth: AuthService;
}

/**
 * Sends a notification about an entity to its owners (as the catalog has
 * them now) and to the person who asked for what it reports, linking the
 * entity's Storage tab. Nothing without the notifications service.
 */
export async function notifyEntityOwners(
  notifier: EntityNotifier,
  entityRef: string,
  requester: string,
  payload: Omit<NotificationPayload, 'link'>,
): Promise<void> {
  if (!notifier.notifications) return;
  const entity = await notifier.catalog.getEntityByRef(entityRef, {
    credentials: await notifier.auth.getOwnServiceCredentials(),
  });
  const owners = entity ? entityOwnerRefs(entity) : [];
  await notifier.notifications.send({
    recipients: {
      type: 'entity',
      entityRef: [...new Set([...owners, requester])],
    },
    payload: { ...payload, link: storageTabLink(entityRef) },
  });
}
