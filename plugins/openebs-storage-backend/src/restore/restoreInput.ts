import { InputError } from '@backstage/errors';
import { RestoreRequestInput } from '@openebs-portal/plugin-openebs-storage-common';
import { z } from 'zod';

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * The only shape a restore request may have. `strict()` rejects every other
 * field, so nothing the browser sends (hooks, resource modifiers, cluster
 * resources, extra namespaces, a Restore spec) can reach Velero.
 */
const restoreInputSchema = z
  .object({
    requestId: z.string().uuid(),
    cluster: z.string().min(1).max(253),
    backupName: z
      .string()
      .regex(DNS_SUBDOMAIN, 'must be a Kubernetes object name'),
    namespace: z.string().regex(DNS_LABEL, 'must be a namespace name'),
    volumes: z
      .array(
        z.string().regex(DNS_SUBDOMAIN, 'must be a PersistentVolumeClaim name'),
      )
      .min(1)
      .max(100),
    mode: z.enum(['new-namespace', 'in-place']),
    targetNamespace: z
      .string()
      .regex(
        DNS_LABEL,
        'must be a namespace name (DNS-1123 label, at most 63 characters)',
      )
      .optional(),
    confirmation: z.string().max(253).optional(),
  })
  .strict();

export function parseRestoreInput(body: unknown): RestoreRequestInput {
  return checkInput(restoreInputSchema, body);
}

/** A preview is a request without its idempotency key. */
export function parsePreviewInput(
  body: unknown,
): Omit<RestoreRequestInput, 'requestId'> {
  return checkInput(restoreInputSchema.omit({ requestId: true }), body);
}

function checkInput<T extends { volumes: string[] }>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  body: unknown,
): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue =>
      issue.code === 'unrecognized_keys'
        ? `unsupported field(s) ${issue.keys.join(
            ', ',
          )}: the server builds the Restore itself`
        : `${issue.path.join('.') || 'body'}: ${issue.message}`,
    );
    throw new InputError(`Invalid restore request: ${problems.join('; ')}`);
  }
  const input = parsed.data;
  if (new Set(input.volumes).size !== input.volumes.length) {
    throw new InputError('Invalid restore request: volumes are listed twice');
  }
  return input;
}
