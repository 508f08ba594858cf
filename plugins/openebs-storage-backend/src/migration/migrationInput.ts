import { InputError } from '@backstage/errors';
import { VolumeMigrationInput } from '@openebs-portal/plugin-openebs-storage-common';
import { z } from 'zod';
import { DNS_LABEL, DNS_SUBDOMAIN } from '../restore/restoreInput';

/** The only shape a migration request may have; the server plans the rest. */
const migrationInputSchema = z
  .object({
    requestId: z.string().uuid(),
    cluster: z.string().min(1).max(253),
    namespace: z.string().regex(DNS_LABEL, 'must be a namespace name'),
    claim: z
      .string()
      .regex(DNS_SUBDOMAIN, 'must be a PersistentVolumeClaim name'),
    targetClass: z.string().regex(DNS_SUBDOMAIN, 'must be a StorageClass name'),
  })
  .strict();

export function parseMigrationInput(body: unknown): VolumeMigrationInput {
  const parsed = migrationInputSchema.safeParse(body);
  if (!parsed.success) {
    throw new InputError(
      `Invalid migration request: ${parsed.error.issues
        .map(issue =>
          issue.code === 'unrecognized_keys'
            ? `unsupported field(s) ${issue.keys.join(', ')}`
            : `${issue.path.join('.') || 'body'}: ${issue.message}`,
        )
        .join('; ')}`,
    );
  }
  return parsed.data;
}
