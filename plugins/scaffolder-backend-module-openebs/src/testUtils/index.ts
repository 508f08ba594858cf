/**
 * What this repository's end-to-end stories check a published branch with,
 * without reaching into the module's source by path: the manifest validator
 * the `openebs:manifests:validate` action runs, and SOPS decryption with age
 * identities. Imported as
 * `@openebs-portal/plugin-scaffolder-backend-module-openebs/testUtils`; not
 * a stable API for other plugins.
 *
 * @packageDocumentation
 */
export { decryptSopsYaml, validateManifests } from './publishedBranch';
