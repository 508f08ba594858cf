export { WithheldVolumes } from './WithheldVolumes';
export type { WithheldVolumesProps } from './WithheldVolumes';
