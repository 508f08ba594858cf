export { EntityHealthSummary } from './EntityHealthSummary';
export type { EntityHealthSummaryProps } from './EntityHealthSummary';
