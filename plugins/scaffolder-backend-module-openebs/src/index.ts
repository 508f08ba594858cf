/**
 * Scaffolder module: actions that generate Flux GitOps manifests for OpenEBS
 * LocalPV + Velero workloads and for the platform, with SOPS/age secrets.
 *
 * @packageDocumentation
 */
export { scaffolderModuleOpenebs as default } from './module';
export { createSopsEncryptAction } from './actions/sopsEncrypt';
export { createFluxWorkloadAction } from './actions/fluxWorkload';
export { createValidateManifestsAction } from './actions/validateManifests';
export { createFluxPlatformAction } from './actions/fluxPlatform';
