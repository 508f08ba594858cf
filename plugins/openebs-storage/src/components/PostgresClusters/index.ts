export { PostgresClusters } from './PostgresClusters';
export type { PostgresClustersProps } from './PostgresClusters';
