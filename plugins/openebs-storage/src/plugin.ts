import {
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { openebsStorageApiFactory } from './api';
import { createFromTemplateRouteRef, rootRouteRef } from './routes';

/**
 * The OpenEBS storage plugin for the legacy frontend system.
 *
 * @public
 */
export const openebsStoragePlugin = createPlugin({
  id: 'openebs-storage',
  apis: [openebsStorageApiFactory],
  routes: { root: rootRouteRef },
  externalRoutes: { createFromTemplate: createFromTemplateRouteRef },
});

/**
 * The Storage tab of an entity page: volumes, snapshots and Velero backups.
 * Render it in an `EntityLayout.Route` guarded by
 * {@link isOpenebsStorageAvailable}.
 *
 * @public
 */
export const EntityOpenebsStorageContent: () => JSX.Element =
  openebsStoragePlugin.provide(
    createRoutableExtension({
      name: 'EntityOpenebsStorageContent',
      component: () =>
        import('./components/EntityStorageContent').then(
          m => m.EntityStorageContent,
        ),
      mountPoint: rootRouteRef,
    }),
  );
