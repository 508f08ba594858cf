import { CustomErrorBase } from '@backstage/errors';

/**
 * Too many restores in progress for a cap. `@backstage/errors` has no 429
 * error; Backstage's error middleware answers with an error's `statusCode`.
 */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;
}
