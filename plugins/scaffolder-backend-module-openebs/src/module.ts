import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createFluxClaimClassAction } from './actions/fluxClaimClass';
import { createFluxCnpgReplicaAction } from './actions/fluxCnpgReplica';
import { createFluxCnpgPrimaryAction } from './actions/fluxCnpgPrimary';
import { createFluxPlatformAction } from './actions/fluxPlatform';
import { createFluxWorkloadAction } from './actions/fluxWorkload';
import { createGiteaPullRequestAction } from './actions/giteaPullRequest';
import { createRepositoryDiffAction } from './actions/repositoryDiff';
import { createRepositoryReadAction } from './actions/repositoryRead';
import { createSopsEncryptAction } from './actions/sopsEncrypt';
import { createValidateManifestsAction } from './actions/validateManifests';

/**
 * Scaffolder actions that write Flux GitOps manifests for OpenEBS workloads
 * and the storage platform, with SOPS/age-encrypted secrets, and publish
 * them as a pull request to a Gitea repository.
 *
 * @public
 */
export const scaffolderModuleOpenebs = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'openebs',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        reader: coreServices.urlReader,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, reader, discovery, auth }) {
        const integrations = ScmIntegrations.fromConfig(config);
        const defaultRecipients =
          config.getOptionalStringArray(
            'openebsScaffolder.sopsAgeRecipients',
          ) ?? [];
        scaffolder.addActions(
          createSopsEncryptAction({ defaultRecipients }),
          createFluxWorkloadAction(),
          createFluxPlatformAction({ defaultRecipients }),
          createFluxClaimClassAction(),
          createFluxCnpgReplicaAction({ discovery, auth }),
          createFluxCnpgPrimaryAction({ discovery, auth }),
          createValidateManifestsAction(),
          createGiteaPullRequestAction({ integrations }),
          createRepositoryReadAction({ reader, integrations }),
          createRepositoryDiffAction({ reader, integrations }),
        );
      },
    });
  },
});
