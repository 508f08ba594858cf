export { InPlaceSteps } from './InPlaceSteps';
