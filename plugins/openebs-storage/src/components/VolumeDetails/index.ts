export { VolumeDetails } from './VolumeDetails';
export type { VolumeDetailsProps } from './VolumeDetails';
