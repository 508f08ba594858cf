import { ResponseError } from '@backstage/errors';

/** Whether the backend refused because the user lacks a permission. */
export function isNotAllowed(error: Error): boolean {
  if (error.name === 'NotAllowedError') {
    return true;
  }
  return (
    ResponseError.is(error) &&
    (error.statusCode === 403 || error.cause.name === 'NotAllowedError')
  );
}

/**
 * What the server said, verbatim: the message of the Backstage error body
 * of a `ResponseError` (whose own message is only "Request failed with 400
 * Bad Request"), or the message of any other error.
 */
export function serverMessage(error: Error): string {
  if (ResponseError.is(error)) {
    return error.cause.message || error.message;
  }
  return error.message;
}

/** The name of the server's error (`InputError`, `ConflictError`, …). */
export function serverErrorName(error: Error): string {
  return ResponseError.is(error) ? error.cause.name : error.name;
}

/**
 * Titles for the errors the backend answers a restore request with (and a
 * preview of one: the same checks, the same answers).
 */
export const restoreErrorTitles: Record<string, string> = {
  InputError: 'The restore was refused',
  NotAllowedError: 'You may not request this restore',
  NotFoundError: 'The backup was not found',
  ConflictError: 'The target namespace cannot be used',
  TooManyRequestsError: 'Too many restores in progress',
  ServiceUnavailableError: 'The backup cannot be read right now',
};

/** Whether the backend refused a restore (rather than failed to answer). */
export function isRestoreRefusal(error: Error): boolean {
  return serverErrorName(error) in restoreErrorTitles;
}
