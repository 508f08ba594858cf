import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { moveClaimClass } from '../flux/claimClass';
import { readYamlFiles, writeManifestChange } from './workspace';

export const FLUX_CLAIM_CLASS_ACTION_ID = 'openebs:flux:claim-class';

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * After the portal migrated a claim onto an OpenEBS class, writes the
 * claim's new class and volume into the repository's manifests of it (read
 * into the workspace by openebs:repository:read), so that the next Flux
 * reconcile applies what the cluster has instead of failing on the claim's
 * immutable fields. Changes only those fields; fails, changing nothing, when
 * no manifest under `directory` defines the claim.
 *
 * @public
 */
export function createFluxClaimClassAction() {
  return createTemplateAction({
    id: FLUX_CLAIM_CLASS_ACTION_ID,
    description:
      "Writes a migrated claim's new storage class and volume into its manifests in the workspace",
    supportsDryRun: true,
    schema: {
      input: {
        directory: z =>
          z
            .string()
            .min(1)
            .describe(
              "Workspace directory holding the namespace's manifests (YAML files are read at any depth)",
            ),
        namespace: z => z.string().regex(NAME),
        claim: z => z.string().regex(NAME),
        targetClass: z =>
          z.string().regex(NAME).describe('The class the claim is on now'),
        volumeName: z =>
          z
            .string()
            .regex(NAME)
            .optional()
            .describe('The volume the claim is bound to now'),
      },
      output: {
        changed: z =>
          z.array(z.string()).describe('Workspace paths of the changed files'),
        found: z =>
          z
            .array(z.string())
            .describe('What was found where, one sentence each'),
        description: z => z.string().describe('Markdown for the pull request'),
      },
    },
    async handler(ctx) {
      const { directory, ...change } = ctx.input;
      const files = await readYamlFiles(ctx.workspacePath, directory);
      const result = moveClaimClass(files, change);
      if (result.found.length === 0) {
        throw new InputError(
          [
            `No manifest under ${directory} defines claim ${change.claim} of namespace ${change.namespace}`,
            `(${files.length} YAML file(s) read; a PersistentVolumeClaim of that name or a StatefulSet's volumeClaimTemplates were looked for).`,
            "A claim made by a Helm chart's values is not changed here: set the chart's storage class in its HelmRelease by hand.",
            ...result.unreadable.map(u => `Not read: ${u}`),
          ].join(' '),
        );
      }
      await writeManifestChange(ctx, result);
      ctx.output('description', describe(change, result.found));
    },
  });
}

function describe(
  change: { namespace: string; claim: string; targetClass: string },
  found: string[],
): string {
  return [
    `The portal migrated claim \`${change.claim}\` of namespace \`${change.namespace}\` onto \`${change.targetClass}\`: the claim kept its name and is bound to a new volume.`,
    '',
    "A claim's class and volume cannot change once it exists, so a manifest naming the old class makes every reconcile of it fail. This change writes what the cluster has; merged, Flux's next apply changes nothing.",
    '',
    ...found.map(f => `- ${f}`),
    '',
    'If the migration is rolled back, close this pull request (or revert it once merged): the claim is then on its old class and volume again.',
  ].join('\n');
}
