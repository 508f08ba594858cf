/**
 * Backend for the OpenEBS storage plugin.
 *
 * @packageDocumentation
 */
export { openebsStoragePlugin as default } from './plugin';
export {
  AnnotationNamespaceTenancy,
  type NamespaceTenancy,
  type TenancyNamespace,
} from './tenancy/NamespaceTenancy';
export {
  openebsStorageTenancyExtensionPoint,
  type OpenebsStorageTenancyExtensionPoint,
} from './tenancy/extensionPoint';
