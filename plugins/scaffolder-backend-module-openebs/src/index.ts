/**
 * Scaffolder module: actions that generate Flux GitOps manifests for OpenEBS
 * LocalPV + Velero workloads and for the platform, with SOPS/age secrets.
 *
 * @packageDocumentation
 */
export { scaffolderModuleOpenebs as default } from './module';
export {
  createSopsEncryptAction,
  type SopsEncryptActionOptions,
} from './actions/sopsEncrypt';
export { createFluxWorkloadAction } from './actions/fluxWorkload';
export { createValidateManifestsAction } from './actions/validateManifests';
export {
  createFluxPlatformAction,
  type FluxPlatformActionOptions,
} from './actions/fluxPlatform';
export {
  createGiteaPullRequestAction,
  type GiteaPullRequestActionOptions,
} from './actions/giteaPullRequest';
