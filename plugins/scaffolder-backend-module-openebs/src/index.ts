/**
 * Scaffolder module: actions that generate Flux GitOps manifests for OpenEBS
 * LocalPV + Velero workloads and for the platform, with SOPS/age secrets.
 *
 * The module is the whole public API. The action factories stay internal: their
 * input types are inferred from zod schemas, and API Extractor prints such
 * types with a property order that depends on the order TypeScript first met
 * each property name in the program, so the report would change whenever an
 * unrelated file did.
 *
 * @packageDocumentation
 */
export { scaffolderModuleOpenebs as default } from './module';
export { catalogModuleOpenebsTemplateHosts } from './catalog/module';
