import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  PostgresMigrationPlan,
  postgresMigrationPlanPath,
} from '@openebs-portal/plugin-openebs-storage-common';
import { addCnpgReplica } from '../flux/cnpgReplica';
import {
  KUBERNETES_NAME,
  readYamlFiles,
  writeManifestChange,
} from './workspace';
import {
  askStorageBackend,
  entityOf,
  StorageBackendOptions,
} from './storageBackend';

export const FLUX_CNPG_REPLICA_ACTION_ID = 'openebs:flux:cnpg-replica';

export type FluxCnpgReplicaOptions = StorageBackendOptions;

/**
 * The first phase of moving a CloudNativePG Cluster onto OpenEBS, written
 * into the repository's manifests (read into the workspace by
 * openebs:repository:read): the plan is the storage backend's, asked on
 * behalf of the user who runs the template, so the backend's permission
 * and tenancy checks decide exactly as they do on the Storage tab. The
 * action writes what the plan says and nothing of its own.
 *
 * @public
 */
export function createFluxCnpgReplicaAction(options: FluxCnpgReplicaOptions) {
  return createTemplateAction({
    id: FLUX_CNPG_REPLICA_ACTION_ID,
    description:
      "Writes the portal's plan for a CloudNativePG Cluster's replica on OpenEBS into the workspace's manifests",
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe('The entity whose Storage tab offers the plan'),
        cluster: z =>
          z
            .string()
            .min(1)
            .describe('The Kubernetes cluster, as the portal names it'),
        namespace: z => z.string().regex(KUBERNETES_NAME),
        database: z =>
          z
            .string()
            .regex(KUBERNETES_NAME)
            .describe('The existing CloudNativePG Cluster'),
        targetClass: z =>
          z
            .string()
            .regex(KUBERNETES_NAME)
            .describe('The OpenEBS class to move onto'),
        directory: z =>
          z
            .string()
            .min(1)
            .describe(
              "Workspace directory holding the namespace's manifests (YAML files are read at any depth)",
            ),
      },
      output: {
        changed: z =>
          z.array(z.string()).describe('Workspace paths of the changed files'),
        found: z =>
          z
            .array(z.string())
            .describe('What was found or done where, one sentence each'),
        description: z => z.string().describe('Markdown for the pull request'),
        replica: z => z.string().describe('The new Cluster'),
      },
    },
    async handler(ctx) {
      const { directory, ...request } = ctx.input;
      const plan = await fetchPlan(
        options,
        await ctx.getInitiatorCredentials(),
        request,
      );
      const files = await readYamlFiles(ctx.workspacePath, directory);
      const result = addCnpgReplica(files, plan);
      await writeManifestChange(ctx, result);
      ctx.output('replica', plan.target.name);
      ctx.output('description', describe(plan, result.found));
    },
  });
}

/** The plan, as the storage backend gives it to that user. */
function fetchPlan(
  options: StorageBackendOptions,
  credentials: BackstageCredentials,
  request: {
    entityRef: string;
    cluster: string;
    namespace: string;
    database: string;
    targetClass: string;
  },
): Promise<PostgresMigrationPlan> {
  const path = postgresMigrationPlanPath(entityOf(request.entityRef), {
    cluster: request.cluster,
    namespace: request.namespace,
    name: request.database,
    targetClass: request.targetClass,
  });
  return askStorageBackend(
    options,
    credentials,
    path,
    `The portal gave no plan for Cluster ${request.namespace}/${request.database}`,
  );
}

function describe(plan: PostgresMigrationPlan, found: string[]): string {
  const { cluster, target } = plan;
  return [
    `The first phase of moving CloudNativePG Cluster \`${cluster}\` of namespace \`${plan.namespace}\` onto \`${target.storageClass}\`, as the portal planned it: a new Cluster \`${target.name}\` on that class copies \`${cluster}\` with pg_basebackup and then follows it by streaming replication. \`${cluster}\` stays the primary and keeps archiving; nothing switches over when this is merged.`,
    '',
    ...found.map(f => `- ${f}`),
    '',
    `**Switchover**, once \`${target.name}\` is ready and its lag is small (the Storage tab shows both Clusters):`,
    '',
    ...plan.switchover.map(
      (step, i) => `${i + 1}. ${step.title}:\n   \`${step.command}\``,
    ),
    '',
    "Flux applies these manifests: a switchover made by hand is undone by its next apply while they still say otherwise. Suspend the Kustomization that applies them before the switchover, commit the Clusters' `replica` sections as the cluster has them after it (the Storage tab's **Record in Git…** on the new primary proposes that), then resume it.",
    '',
    `**Rollback** before the switchover: close this pull request, or revert it once merged (Flux prunes \`${target.name}\` and its volumes; \`${cluster}\` was never changed but for learning of it). After it, while \`${cluster}\` is kept, the same hand-over back (the Storage tab's plan lists its commands).`,
  ].join('\n');
}
