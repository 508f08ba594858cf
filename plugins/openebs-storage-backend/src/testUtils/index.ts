/**
 * The pieces of the backend that this repository's benchmark and lab proof
 * drive directly, without the HTTP layer: the read model (one cluster's
 * watch caches and the entity storage service over them) and the Velero
 * Restore the write path creates. Imported as
 * `@openebs-portal/plugin-openebs-storage-backend/testUtils`; not a stable
 * API for other plugins.
 *
 * @packageDocumentation
 */
export {
  createStorageReadModel,
  storageReadModelCollections,
  type StorageReadModel,
  type StorageReadModelOptions,
} from './storageReadModel';
export { buildLabRestoreManifest } from './labRestoreManifest';
