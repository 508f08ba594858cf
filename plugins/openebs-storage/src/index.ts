/**
 * A Storage tab for Backstage entity pages: the OpenEBS volumes of an entity,
 * their snapshots and their Velero backups, measured against the platform's
 * service levels.
 *
 * @packageDocumentation
 */
export { openebsStoragePlugin, EntityOpenebsStorageContent } from './plugin';
export { isOpenebsStorageAvailable } from './conditions';
export { openebsStorageApiRef, OpenebsStorageClient } from './api';
export type { OpenebsStorageApi } from './api';
