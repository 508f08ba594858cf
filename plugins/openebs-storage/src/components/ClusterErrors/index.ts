export { ClusterErrors } from './ClusterErrors';
export type { ClusterErrorsProps } from './ClusterErrors';
