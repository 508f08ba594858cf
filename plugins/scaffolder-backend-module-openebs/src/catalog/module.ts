import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { TemplateHostsProcessor } from './TemplateHostsProcessor';

/**
 * Gives the OpenEBS templates the portal's Git hosts: with
 * `openebsScaffolder.allowedHosts` set, every template annotated
 * `openebs-portal.dev/allowed-hosts: config` offers exactly those hosts in
 * its repository picker; unset, templates keep the list they ship with.
 *
 * @public
 */
export const catalogModuleOpenebsTemplateHosts = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'openebs-template-hosts',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ catalog, config }) {
        const hosts = config.getOptionalStringArray(
          'openebsScaffolder.allowedHosts',
        );
        if (hosts) catalog.addProcessor(new TemplateHostsProcessor(hosts));
      },
    });
  },
});
