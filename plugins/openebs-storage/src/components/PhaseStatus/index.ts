export { PhaseStatus } from './PhaseStatus';
export type { PhaseStatusProps } from './PhaseStatus';
