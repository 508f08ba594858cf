import { randomBytes } from 'node:crypto';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { Document, Scalar } from 'yaml';
import {
  encryptYamlDocument,
  isAgeRecipient,
  KUBERNETES_SECRET_ENCRYPTED_REGEX,
} from '../sops/SopsYaml';
import { DNS_LABEL } from '../validate/patterns';
import { repositoryRecipients } from '../sops/sopsRules';
import { readWorkspaceFileIfExists, writeWorkspaceFile } from './workspace';

export const SOPS_ENCRYPT_ACTION_ID = 'openebs:sops:encrypt';

/** What a dry run writes instead of any value: the layout, never the data. */
export const DRY_RUN_PLACEHOLDER = 'dry-run-placeholder';

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Options of {@link createSopsEncryptAction}.
 *
 * @public
 */
export type SopsEncryptActionOptions = {
  /** Used when the step passes no recipients (openebsScaffolder.sopsAgeRecipients). */
  defaultRecipients?: string[];
};

/**
 * Writes a Kubernetes Secret as a SOPS file encrypted for age recipients.
 *
 * Values come only from the task's secrets (`ctx.secrets`, filled from the
 * template's `ui:field: Secret` parameters), named by `entries[].fromSecret`:
 * the plaintext is never in the step's input, in the workspace, in the logs or
 * in the output. Only `data`/`stringData` are encrypted, so that Flux's
 * kustomize-controller can read apiVersion, kind and metadata.
 *
 * @public
 */
export function createSopsEncryptAction(
  options: SopsEncryptActionOptions = {},
) {
  return createTemplateAction({
    id: SOPS_ENCRYPT_ACTION_ID,
    description:
      'Writes a Kubernetes Secret encrypted with SOPS for age recipients; values come only from scaffolder secrets',
    supportsDryRun: true,
    examples: [
      {
        description: "Velero's S3 credentials",
        example: [
          'steps:',
          '  - id: secret',
          `    action: ${SOPS_ENCRYPT_ACTION_ID}`,
          '    input:',
          '      path: kubernetes/apps/storage/velero/app/velero-s3-secret.sops.yaml',
          '      name: velero-s3-secret',
          '      namespace: velero',
          '      recipients: [age1...]',
          '      entries:',
          '        - { key: S3_ACCESS_KEY_ID, fromSecret: s3AccessKeyId }',
          '        - { key: S3_SECRET_ACCESS_KEY, fromSecret: s3SecretAccessKey }',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        path: z =>
          z
            .string()
            .regex(/\.sops\.ya?ml$/, 'must end with .sops.yaml')
            .describe('Workspace-relative path of the file to write'),
        name: z => z.string().max(253).regex(DNS_LABEL).describe('Secret name'),
        namespace: z =>
          z.string().max(63).regex(DNS_LABEL).describe('Secret namespace'),
        recipients: z =>
          z
            .array(
              z
                .string()
                .refine(isAgeRecipient, 'must be an age recipient (age1...)'),
            )
            .optional()
            .describe(
              'age recipients (public keys) that can decrypt the file; default openebsScaffolder.sopsAgeRecipients',
            ),
        entries: z =>
          z
            .array(
              z.object({
                key: z.string().regex(SECRET_KEY).describe('Key in the Secret'),
                fromSecret: z
                  .string()
                  .min(1)
                  .describe('Name of the task secret holding the value'),
              }),
            )
            .default([])
            .describe(
              'Secret keys and the task secrets their values come from',
            ),
        plainEntries: z =>
          z
            .array(
              z.object({
                key: z.string().regex(SECRET_KEY),
                value: z.string(),
              }),
            )
            .default([])
            .describe(
              'Keys whose values are not secret (e.g. an endpoint) but belong in the Secret; encrypted all the same',
            ),
        generatedEntries: z =>
          z
            .array(
              z.object({
                key: z.string().regex(SECRET_KEY),
                bytes: z.number().int().min(16).max(64).default(32),
              }),
            )
            .default([])
            .describe(
              "Keys whose values the action makes itself, random (base64url of `bytes` random bytes): a password nobody types, e.g. the backup repository's",
            ),
        awsCredentials: z =>
          z
            .object({
              key: z.string().regex(SECRET_KEY).default('cloud'),
              accessKeyIdSecret: z.string().min(1),
              secretAccessKeySecret: z.string().min(1),
            })
            .optional()
            .describe(
              "Also write an AWS credentials file (Velero's `cloud` key) built from two task secrets",
            ),
        keepExisting: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Keep the file when the workspace already holds it (read from the target branch): a generated value is made once, e.g. a backup repository password that existing backups were written with',
            ),
        labels: z =>
          z.record(z.string()).optional().describe('Labels on the Secret'),
        type: z => z.string().default('Opaque').describe('Secret type'),
        encryptedRegex: z =>
          z
            .string()
            .default(KUBERNETES_SECRET_ENCRYPTED_REGEX)
            .describe('Keys whose values are encrypted'),
      },
      output: {
        path: z => z.string(),
        keys: z => z.array(z.string()),
        recipients: z => z.array(z.string()),
        kept: z => z.boolean(),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      if (
        input.keepExisting &&
        (await readWorkspaceFileIfExists(ctx.workspacePath, input.path)) !==
          undefined
      ) {
        // Encrypted for the repository's keys already, and possibly in use:
        // Velero cannot open a Kopia repository whose password changed.
        ctx.logger.info('kept the SOPS-encrypted Secret the branch has', {
          path: input.path,
        });
        ctx.output('path', input.path);
        ctx.output('keys', []);
        ctx.output('recipients', []);
        ctx.output('kept', true);
        return;
      }
      // The repository's own keys (its .sops.yaml, read from the target
      // branch by openebs:repository:read) so that the cluster can decrypt,
      // plus the form's or the portal's.
      const recipients = [
        ...new Set([
          ...repositoryRecipients(
            await readWorkspaceFileIfExists(ctx.workspacePath, '.sops.yaml'),
            input.path,
          ),
          ...(input.recipients?.length
            ? input.recipients
            : options.defaultRecipients ?? []),
        ]),
      ];
      if (recipients.length === 0) {
        throw new InputError(
          'recipients: no age recipients; pass them, set openebsScaffolder.sopsAgeRecipients, or give the repository a .sops.yaml rule for this path',
        );
      }
      const notAge = recipients.find(r => !isAgeRecipient(r));
      if (notAge) {
        throw new InputError(
          `.sops.yaml names ${notAge}, which is not an age recipient`,
        );
      }
      const entries = input.entries ?? [];
      const aws = input.awsCredentials;
      const awsKey = aws ? aws.key ?? 'cloud' : undefined;
      const plainEntries = input.plainEntries ?? [];
      const generatedEntries = input.generatedEntries ?? [];
      const keys = [
        ...entries.map(e => e.key),
        ...plainEntries.map(e => e.key),
        ...generatedEntries.map(e => e.key),
        ...(awsKey ? [awsKey] : []),
      ];
      if (keys.length === 0) {
        throw new InputError('entries: at least one key is required');
      }
      const dup = keys.find((k, i) => keys.indexOf(k) !== i);
      if (dup) {
        throw new InputError(`entries: key ${dup} appears twice`);
      }

      const secretNames = [
        ...entries.map(e => e.fromSecret),
        ...(aws ? [aws.accessKeyIdSecret, aws.secretAccessKeySecret] : []),
      ];
      const secret = (name: string): string => {
        if (ctx.isDryRun) return DRY_RUN_PLACEHOLDER;
        const v = ctx.secrets?.[name];
        if (v === undefined || v === '') {
          throw new InputError(
            `task secret ${name} is missing: pass it as a secret parameter (ui:field: Secret)`,
          );
        }
        return v;
      };
      // Fail before any work when a secret is missing.
      secretNames.forEach(secret);

      const build = async () => {
        const values = new Map<string, Scalar>();
        for (const e of entries) {
          values.set(e.key, quoted(secret(e.fromSecret)));
        }
        for (const e of plainEntries) {
          values.set(e.key, quoted(e.value));
        }
        for (const e of generatedEntries) {
          values.set(
            e.key,
            quoted(
              ctx.isDryRun
                ? DRY_RUN_PLACEHOLDER
                : randomBytes(e.bytes ?? 32).toString('base64url'),
            ),
          );
        }
        if (aws && awsKey) {
          values.set(
            awsKey,
            quoted(
              `[default]\naws_access_key_id=${secret(
                aws.accessKeyIdSecret,
              )}\naws_secret_access_key=${secret(aws.secretAccessKeySecret)}\n`,
            ),
          );
        }
        const doc = new Document();
        const metadata: Record<string, unknown> = {
          name: input.name,
          namespace: input.namespace,
        };
        if (input.labels && Object.keys(input.labels).length) {
          metadata.labels = input.labels;
        }
        doc.contents = doc.createNode({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata,
          type: input.type ?? 'Opaque',
        }) as any;
        (doc.contents as any).set('stringData', doc.createNode(values));
        return `---\n${await encryptYamlDocument(doc, {
          recipients,
          encryptedRegex:
            input.encryptedRegex ?? KUBERNETES_SECRET_ENCRYPTED_REGEX,
        })}`;
      };

      let content: string;
      if (ctx.isDryRun) {
        // Placeholders, encrypted all the same: the dry-run output shows the
        // file's shape and never reads a task secret.
        content = await build();
        ctx.logger.info(
          'dry run: wrote placeholders instead of secret values',
          {
            path: input.path,
            keys: keys.join(','),
          },
        );
      } else {
        // Encryption is randomised; the checkpoint keeps a retried task from
        // writing different ciphertext. It stores only the encrypted file.
        content = await ctx.checkpoint({
          key: `${SOPS_ENCRYPT_ACTION_ID}:${input.path}:${input.namespace}/${
            input.name
          }:${keys.join(',')}:${recipients.join(',')}`,
          fn: build,
        });
      }
      const result = await writeWorkspaceFile(
        ctx.workspacePath,
        input.path,
        content,
      );
      ctx.logger.info('wrote SOPS-encrypted Secret', {
        path: input.path,
        secret: `${input.namespace}/${input.name}`,
        keys: keys.join(','),
        recipients: recipients.length,
        result,
      });
      ctx.output('path', input.path);
      ctx.output('keys', keys);
      ctx.output('recipients', recipients);
      ctx.output('kept', false);
    },
  });
}

function quoted(value: string): Scalar {
  const s = new Scalar(value);
  s.type = Scalar.QUOTE_DOUBLE;
  return s;
}
