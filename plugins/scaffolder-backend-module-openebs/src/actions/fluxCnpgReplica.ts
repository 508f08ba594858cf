import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, ResponseError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  PostgresMigrationPlan,
  postgresMigrationPlanPath,
} from '@openebs-portal/plugin-openebs-storage-common';
import { addCnpgReplica } from '../flux/cnpgReplica';
import { readYamlFiles, writeManifestChange } from './workspace';

export const FLUX_CNPG_REPLICA_ACTION_ID = 'openebs:flux:cnpg-replica';

/** The storage backend's plugin id, which serves the plan. */
const STORAGE_PLUGIN = 'openebs-storage';
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export interface FluxCnpgReplicaOptions {
  discovery: DiscoveryService;
  auth: AuthService;
}

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
        namespace: z => z.string().regex(NAME),
        database: z =>
          z.string().regex(NAME).describe('The existing CloudNativePG Cluster'),
        targetClass: z =>
          z.string().regex(NAME).describe('The OpenEBS class to move onto'),
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
        replica: z => z.string().describe('The new Cluster'),
        description: z => z.string().describe('Markdown for the pull request'),
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
      for (const problem of result.unreadable) {
        ctx.logger.warn(`Not read: ${problem}`);
      }
      await writeManifestChange(ctx, result);
      ctx.output('replica', plan.target.name);
      ctx.output('description', describe(plan, result.found));
    },
  });
}

/** The plan, as the storage backend gives it to that user. */
async function fetchPlan(
  { discovery, auth }: FluxCnpgReplicaOptions,
  credentials: BackstageCredentials,
  request: {
    entityRef: string;
    cluster: string;
    namespace: string;
    database: string;
    targetClass: string;
  },
): Promise<PostgresMigrationPlan> {
  let entity;
  try {
    entity = parseEntityRef(request.entityRef);
  } catch (error) {
    throw new InputError(`entityRef: ${(error as Error).message}`);
  }
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: STORAGE_PLUGIN,
  });
  const url = `${await discovery.getBaseUrl(
    STORAGE_PLUGIN,
  )}${postgresMigrationPlanPath(entity, {
    cluster: request.cluster,
    namespace: request.namespace,
    name: request.database,
    targetClass: request.targetClass,
  })}`;
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) {
    // The backend's own words (which permission, whose Cluster), not only
    // the status line.
    const error = await ResponseError.fromResponse(response);
    throw new InputError(
      `The portal gave no plan for Cluster ${request.namespace}/${request.database} (${response.status} ${error.cause.name}): ${error.cause.message}`,
      error,
    );
  }
  return (await response.json()) as PostgresMigrationPlan;
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
    "Flux applies these manifests: a switchover made by hand is undone by its next apply while they still say otherwise. Suspend the Kustomization that applies them before the switchover, commit the Clusters' `replica` sections as the cluster has them after it, then resume it.",
    '',
    `**Rollback** before the switchover: close this pull request, or revert it once merged (Flux prunes \`${target.name}\` and its volumes; \`${cluster}\` was never changed but for learning of it). After it, while \`${cluster}\` is kept, the same hand-over back (the Storage tab's plan lists its commands).`,
  ].join('\n');
}
