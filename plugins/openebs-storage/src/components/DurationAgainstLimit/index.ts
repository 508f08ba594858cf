export { DurationAgainstLimit } from './DurationAgainstLimit';
export type { DurationAgainstLimitProps } from './DurationAgainstLimit';
