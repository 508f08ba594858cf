export { HealthChip, protectionStatusLabel } from './HealthChip';
export type { HealthChipProps } from './HealthChip';
