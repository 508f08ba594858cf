import { createElement } from 'react';
import {
  ApiBlueprint,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRefs } from '@backstage/core-compat-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { openebsStorageApiFactory } from './api';
import { isOpenebsStorageAvailable } from './conditions';
import { createFromTemplateRouteRef } from './routes';

/** The storage API client, the same factory as the legacy plugin's. */
const openebsStorageApi = ApiBlueprint.make({
  params: defineParams => defineParams(openebsStorageApiFactory),
});

/** The Storage tab on entity pages that map to Kubernetes objects. */
const entityStorageContent = EntityContentBlueprint.make({
  params: {
    path: '/storage',
    title: 'Storage',
    filter: isOpenebsStorageAvailable,
    // createElement rather than JSX: package.json exports this file as
    // `./alpha` with a `.ts` extension.
    loader: () =>
      import('./components/EntityStorageContent').then(m =>
        createElement(m.EntityStorageContent),
      ),
  },
});

/**
 * The OpenEBS storage plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'openebs-storage',
  title: 'OpenEBS storage',
  info: { packageJson: () => import('../package.json') },
  externalRoutes: convertLegacyRouteRefs({
    createFromTemplate: createFromTemplateRouteRef,
  }),
  extensions: [openebsStorageApi, entityStorageContent],
});
