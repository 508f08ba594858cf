import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  formatProblem,
  ManifestFile,
  ManifestValidator,
} from '../validate/ManifestValidator';
import { listFiles, workspaceFile } from './workspace';

export const VALIDATE_MANIFESTS_ACTION_ID = 'openebs:manifests:validate';

/**
 * Checks the generated manifests in the workspace: strict schemas for the
 * Flux and Velero kinds we write, and the plan's rules (HTTPS-only S3, bucket
 * openebs-backups, schedule '0 2 * * *' with TTL 720h, memory limits under
 * 500Mi, exactly one default StorageClass, every Secret encrypted). Reads
 * only; fails the step with every problem as `file: field: message`.
 *
 * @public
 */
export function createValidateManifestsAction() {
  return createTemplateAction({
    id: VALIDATE_MANIFESTS_ACTION_ID,
    description:
      "Validates generated manifests against strict schemas and the storage plan's rules",
    supportsDryRun: true,
    schema: {
      input: {
        paths: z =>
          z
            .array(z.string().min(1))
            .default(['kubernetes'])
            .describe('Workspace-relative files or directories to check'),
        allowCustomWorkloadSchedules: z =>
          z
            .boolean()
            .default(false)
            .describe(
              "Let a workload's own Velero Schedule use another cron and TTL (the platform's daily schedule stays the plan's)",
            ),
        onBranch: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              "Paths the target branch holds though the workspace does not: openebs:repository:read's `listed` output",
            ),
        failOnProblems: z =>
          z
            .boolean()
            .default(true)
            .describe('Fail the step when a rule is broken'),
      },
      output: {
        files: z => z.number(),
        problems: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const roots = ctx.input.paths ?? ['kubernetes'];
      const files: ManifestFile[] = [];
      for (const root of roots) {
        const abs = workspaceFile(ctx.workspacePath, root);
        let stat;
        try {
          stat = await fs.stat(abs);
        } catch {
          throw new InputError(
            `${root}: no such file or directory in the workspace`,
          );
        }
        const rels = stat.isDirectory()
          ? (await listFiles(abs)).map(r => join(root, r))
          : [root];
        for (const rel of rels) {
          files.push({
            path: rel,
            content: await fs.readFile(
              workspaceFile(ctx.workspacePath, rel),
              'utf8',
            ),
          });
        }
      }
      const problems = new ManifestValidator({
        allowCustomWorkloadSchedules: ctx.input.allowCustomWorkloadSchedules,
        onBranch: ctx.input.onBranch,
      })
        .validate(files)
        .map(formatProblem);
      ctx.output('files', files.length);
      ctx.output('problems', problems);
      if (problems.length === 0) {
        ctx.logger.info('manifests valid', { files: files.length });
        return;
      }
      for (const p of problems) ctx.logger.warn(p);
      if (ctx.input.failOnProblems ?? true) {
        throw new InputError(
          `${
            problems.length
          } problem(s) in the generated manifests:\n${problems.join('\n')}`,
        );
      }
    },
  });
}
