/**
 * Backend for the OpenEBS storage plugin.
 *
 * @packageDocumentation
 */
export { openebsStoragePlugin as default } from './plugin';
