export { StorageLocations } from './StorageLocations';
export type { StorageLocationsProps } from './StorageLocations';
