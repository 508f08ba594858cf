export { FiringAlerts } from './FiringAlerts';
export type { FiringAlertsProps } from './FiringAlerts';
export { alertsOfVolume } from './alertText';
