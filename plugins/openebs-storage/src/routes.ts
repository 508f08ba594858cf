import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

/** Mount point of the Storage tab in the legacy frontend system. */
export const rootRouteRef = createRouteRef({ id: 'openebs-storage' });

/**
 * The scaffolder's page of one template, where the tab sends an owner to
 * open a migration's pull request with the form filled in. Optional: without
 * the scaffolder in the app, the tab offers no link.
 */
export const createFromTemplateRouteRef = createExternalRouteRef({
  id: 'create-from-template',
  params: ['namespace', 'templateName'],
  optional: true,
  defaultTarget: 'scaffolder.selectedTemplate',
});
