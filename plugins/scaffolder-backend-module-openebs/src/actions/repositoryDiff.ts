import { createTwoFilesPatch } from 'diff';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  readOrExplain,
  RepositoryBranch,
} from '../repository/RepositoryBranch';
import { RepositoryActionOptions, repositoryInput } from './repositoryRead';
import { publishableFiles, readWorkspaceFileIfExists } from './workspace';

export const REPOSITORY_DIFF_ACTION_ID = 'openebs:repository:diff';

/**
 * The change the pull request will propose: every workspace file against the
 * same path on the target branch, as a unified diff. Shown in the template's
 * output, in a dry run as well, so that a reviewer sees before merging (and
 * an author before publishing) that nothing the repository has is replaced.
 *
 * @public
 */
export function createRepositoryDiffAction(options: RepositoryActionOptions) {
  return createTemplateAction({
    id: REPOSITORY_DIFF_ACTION_ID,
    description:
      'A unified diff of the workspace against the target branch: what the pull request will change',
    supportsDryRun: true,
    schema: {
      input: repositoryInput,
      output: {
        diff: z =>
          z.string().describe('Unified diff, empty when nothing changes'),
        added: z => z.array(z.string()),
        changed: z => z.array(z.string()),
        unchanged: z => z.number(),
      },
    },
    async handler(ctx) {
      const branch = RepositoryBranch.of({
        ...options,
        repoUrl: ctx.input.repoUrl,
        branch: ctx.input.branch ?? 'main',
      });
      const workspaceFiles = await publishableFiles(ctx.workspacePath);
      const { value: theirs, unavailable } = await readOrExplain(
        Boolean(ctx.isDryRun),
        branch.label,
        async () => {
          const held = new Map<string, string>();
          for (const path of workspaceFiles) {
            const content = await branch.readFile(path);
            if (content) held.set(path, content.toString('utf8'));
          }
          return held;
        },
        new Map<string, string>(),
        m => ctx.logger.warn(m),
      );
      const added: string[] = [];
      const changed: string[] = [];
      const patches: string[] = unavailable ? [`# ${unavailable}\n`] : [];
      let unchanged = 0;
      for (const path of workspaceFiles) {
        const mine = (await readWorkspaceFileIfExists(
          ctx.workspacePath,
          path,
        ))!;
        const before = theirs.get(path);
        if (before === mine) {
          unchanged++;
          continue;
        }
        (before === undefined ? added : changed).push(path);
        patches.push(
          createTwoFilesPatch(
            before === undefined ? '/dev/null' : `a/${path}`,
            `b/${path}`,
            before ?? '',
            mine,
            undefined,
            undefined,
            { context: 3 },
          ),
        );
      }
      ctx.logger.info(
        `Against ${branch.label}: ${added.length} added, ${changed.length} changed, ${unchanged} unchanged`,
      );
      ctx.output('diff', patches.join(''));
      ctx.output('added', added);
      ctx.output('changed', changed);
      ctx.output('unchanged', unchanged);
    },
  });
}
