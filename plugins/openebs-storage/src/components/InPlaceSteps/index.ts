export { InPlaceSteps, StepList } from './InPlaceSteps';
