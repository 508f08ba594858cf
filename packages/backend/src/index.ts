/*
 * The portal's backend: the catalog, the Kubernetes plugin and the OpenEBS
 * storage plugin reading the same clusters, behind the permission framework.
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalogModuleOpenebsTemplateHosts } from '@openebs-portal/plugin-scaffolder-backend-module-openebs';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@openebs-portal/plugin-scaffolder-backend-module-openebs'));
// The templates' repository picker offers openebsScaffolder.allowedHosts.
backend.add(catalogModuleOpenebsTemplateHosts);
// publish:github:pull-request, for the templates' GitHub hosts (Gitea hosts
// are served by the openebs module's openebs:gitea:pull-request).
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));

backend.add(import('@openebs-portal/plugin-openebs-storage-backend'));

backend.start();
