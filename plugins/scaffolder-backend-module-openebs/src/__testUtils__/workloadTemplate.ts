import { createFluxWorkloadAction } from '../actions/fluxWorkload';
import { createGiteaPullRequestAction } from '../actions/giteaPullRequest';
import { createRepositoryDiffAction } from '../actions/repositoryDiff';
import { createRepositoryReadAction } from '../actions/repositoryRead';
import { createSopsEncryptAction } from '../actions/sopsEncrypt';
import { createValidateManifestsAction } from '../actions/validateManifests';
import { createWorkspace, runAction } from './actionContext';
import { giteaRepository, LabGitea } from './gitea';

/**
 * The openebs-workload template's steps, in its order (read the target
 * branch, workload files, SOPS Secret, validation, diff, pull request), for a
 * StatefulSet with a Secret, against a real Gitea.
 */
export function workloadTemplate(gitea: LabGitea) {
  const { integrations, reader, repoUrl } = giteaRepository(gitea);
  const read = createRepositoryReadAction({ reader, integrations });
  const flux = createFluxWorkloadAction();
  const sops = createSopsEncryptAction({ defaultRecipients: [] });
  const validate = createValidateManifestsAction();
  const diff = createRepositoryDiffAction({ reader, integrations });
  const pr = createGiteaPullRequestAction({ integrations });

  return async (options: {
    name: string;
    namespace: string;
    owner: string;
    /** The form's age recipient (the repository's are added by the step). */
    recipient: string;
    secretValue: string;
    /** Where Flux finds the cluster's age key (the action's default: sops-age). */
    sopsDecryption?: 'secret' | 'controller';
  }) => {
    const { name, namespace } = options;
    const workspacePath = await createWorkspace();
    const repository = await runAction(read, {
      workspacePath,
      input: {
        repoUrl,
        branch: 'main',
        files: [
          '.sops.yaml',
          'kubernetes/apps/kustomization.yaml',
          `kubernetes/apps/${namespace}/kustomization.yaml`,
          `kubernetes/apps/${namespace}/namespace.yaml`,
        ],
        directories: [`kubernetes/apps/${namespace}/${name}`],
      },
    });
    const files = await runAction(flux, {
      workspacePath,
      input: {
        name,
        namespace,
        owner: options.owner,
        kind: 'statefulset',
        image: 'docker.io/library/redis:7.4.1',
        port: 6379,
        mountPath: '/data',
        size: '1Gi',
        secretName: `${name}-auth`,
        ...(options.sopsDecryption && {
          sopsDecryption: options.sopsDecryption,
        }),
      },
    });
    await runAction(sops, {
      workspacePath,
      input: {
        path: files.outputs.secretPath as string,
        name: `${name}-auth`,
        namespace,
        recipients: [options.recipient],
        entries: [{ key: 'password', fromSecret: 'value' }],
      },
      secrets: { value: options.secretValue },
    });
    await runAction(validate, {
      workspacePath,
      input: {
        paths: ['kubernetes'],
        allowCustomWorkloadSchedules: true,
        onBranch: repository.outputs.listed as string[],
      },
    });
    const changes = await runAction(diff, {
      workspacePath,
      input: { repoUrl, branch: 'main' },
    });
    const branchName = `openebs-workload-${namespace}-${name}`;
    const published = await runAction(pr, {
      workspacePath,
      input: { repoUrl, branchName, title: `Add ${namespace}/${name}` },
    });
    return {
      diff: changes.outputs as {
        diff: string;
        added: string[];
        changed: string[];
        unchanged: number;
      },
      pullRequestNumber: published.outputs.pullRequestNumber as number,
      branchName,
    };
  };
}

/** A cluster repository as Flux users lay theirs out, for `namespace`. */
export function fluxShapedNamespace(namespace: string, owner: string) {
  return {
    [`kubernetes/apps/${namespace}/namespace.yaml`]: [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      `  name: ${namespace}`,
      '  labels:',
      `    team: ${namespace} # kept`,
      '  annotations:',
      `    openebs-portal.dev/owner: ${owner}`,
      '',
    ].join('\n'),
    [`kubernetes/apps/${namespace}/kustomization.yaml`]: [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      '# Apps of the team; Flux prunes what leaves this list.',
      'resources:',
      '  - ./namespace.yaml',
      '  - ./orders/ks.yaml',
      '  - ./payments/ks.yaml',
      'labels:',
      '  - pairs:',
      `      team: ${namespace}`,
      '',
    ].join('\n'),
  };
}

/** A .sops.yaml whose one rule names the cluster's key, as Flux users write it. */
export function sopsConfig(clusterKey: string): string {
  return [
    'creation_rules:',
    '  - path_regex: kubernetes/.*\\.sops\\.ya?ml$',
    "    encrypted_regex: '^(data|stringData)$'",
    `    age: ${clusterKey}`,
    '',
  ].join('\n');
}
