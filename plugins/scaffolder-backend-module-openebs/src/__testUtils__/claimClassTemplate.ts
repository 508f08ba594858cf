import { createFluxClaimClassAction } from '../actions/fluxClaimClass';
import { createGiteaPullRequestAction } from '../actions/giteaPullRequest';
import { createRepositoryDiffAction } from '../actions/repositoryDiff';
import { createRepositoryReadAction } from '../actions/repositoryRead';
import { createWorkspace, runAction } from './actionContext';
import { giteaRepository, LabGitea } from './gitea';

/**
 * The openebs-claim-class template's steps, in its order (read the
 * namespace's directory, change the claim, diff, pull request), against a
 * real Gitea.
 */
export function claimClassTemplate(gitea: LabGitea) {
  const { integrations, reader, repoUrl } = giteaRepository(gitea);
  const read = createRepositoryReadAction({ reader, integrations });
  const claimClass = createFluxClaimClassAction();
  const diff = createRepositoryDiffAction({ reader, integrations });
  const pr = createGiteaPullRequestAction({ integrations });

  return async (change: {
    namespace: string;
    claim: string;
    targetClass: string;
    volumeName: string;
  }) => {
    const workspacePath = await createWorkspace();
    const directory = `kubernetes/apps/${change.namespace}`;
    await runAction(read, {
      workspacePath,
      input: { repoUrl, branch: 'main', directories: [directory] },
    });
    const claim = await runAction(claimClass, {
      workspacePath,
      input: { directory, ...change },
    });
    const changes = await runAction(diff, {
      workspacePath,
      input: { repoUrl, branch: 'main' },
    });
    const published = await runAction(pr, {
      workspacePath,
      input: {
        repoUrl,
        branchName: `openebs-claim-class-${change.namespace}-${change.claim}`,
        title: `Claim ${change.namespace}/${change.claim} is on ${change.targetClass} now`,
        description: claim.outputs.description as string,
      },
    });
    return {
      diff: changes.outputs.diff as string,
      changed: changes.outputs.changed as string[],
      pullRequestNumber: published.outputs.pullRequestNumber as number,
    };
  };
}
