export { RestoreDrillsCard } from './RestoreDrillsCard';
