export { VolumeTrends } from './VolumeTrends';
export type { VolumeTrendsProps } from './VolumeTrends';
