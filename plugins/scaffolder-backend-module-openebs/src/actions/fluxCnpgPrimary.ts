import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  EntityStorage,
  entityApiPath,
  PostgresClusterStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { CnpgPrimaryChange, recordCnpgPrimary } from '../flux/cnpgPrimary';
import {
  askStorageBackend,
  entityOf,
  StorageBackendOptions,
} from './storageBackend';
import {
  KUBERNETES_NAME,
  readYamlFiles,
  writeManifestChange,
} from './workspace';

export const FLUX_CNPG_PRIMARY_ACTION_ID = 'openebs:flux:cnpg-primary';

/** @public */
export type FluxCnpgPrimaryOptions = StorageBackendOptions;

/**
 * Records a CloudNativePG hand-over (the migration's switchover, or its
 * rollback) in the repository's manifests, once it has happened: both
 * Clusters' `replica` sections name the primary the live Clusters name.
 * The live state is the storage backend's, asked on behalf of the user who
 * runs the template (its permission and tenancy checks apply). Git is
 * never ahead of the cluster: written before the hand-over, Flux would
 * promote the new primary without the old one's demotion token, and the
 * writes the old one took after that point would be lost.
 *
 * @public
 */
export function createFluxCnpgPrimaryAction(options: FluxCnpgPrimaryOptions) {
  return createTemplateAction({
    id: FLUX_CNPG_PRIMARY_ACTION_ID,
    description:
      "Writes a CloudNativePG hand-over that has happened (which Cluster is primary) into the workspace's manifests",
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe('The entity whose Storage tab shows both Clusters'),
        cluster: z =>
          z
            .string()
            .min(1)
            .describe('The Kubernetes cluster, as the portal names it'),
        namespace: z => z.string().regex(KUBERNETES_NAME),
        primary: z =>
          z
            .string()
            .regex(KUBERNETES_NAME)
            .describe('The CloudNativePG Cluster that now takes the writes'),
        replica: z =>
          z
            .string()
            .regex(KUBERNETES_NAME)
            .describe('The other Cluster of the pair, which now follows it'),
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
      },
    },
    async handler(ctx) {
      const { directory, entityRef, cluster, ...change } = ctx.input;
      if (change.primary === change.replica) {
        throw new InputError('The primary and the replica are one Cluster');
      }
      const live = await liveClusters(
        options,
        await ctx.getInitiatorCredentials(),
        { entityRef, cluster, namespace: change.namespace },
      );
      assertHandedOver(live, change);
      const files = await readYamlFiles(ctx.workspacePath, directory);
      const result = recordCnpgPrimary(files, change);
      await writeManifestChange(ctx, result);
      ctx.output('description', describe(change, result.found));
    },
  });
}

/** The CloudNativePG Clusters of the namespace, as the entity's tab shows them. */
async function liveClusters(
  options: StorageBackendOptions,
  credentials: BackstageCredentials,
  where: { entityRef: string; cluster: string; namespace: string },
): Promise<PostgresClusterStatus[]> {
  const storage = await askStorageBackend<EntityStorage>(
    options,
    credentials,
    `${entityApiPath(entityOf(where.entityRef))}/storage`,
    `The portal could not show the storage of ${where.entityRef}`,
  );
  const inCluster = storage.clusters.find(c => c.cluster === where.cluster);
  if (!inCluster) {
    throw new InputError(
      `${where.entityRef} has no storage in Kubernetes cluster ${where.cluster}`,
    );
  }
  return (inCluster.databases ?? []).filter(
    d => d.namespace === where.namespace,
  );
}

/**
 * Refuses unless the live Clusters already say what Git is to say: the
 * primary follows no one, the replica follows it.
 */
function assertHandedOver(
  live: PostgresClusterStatus[],
  { namespace, primary, replica }: CnpgPrimaryChange,
) {
  const [p, r] = [primary, replica].map(name => {
    const found = live.find(d => d.name === name);
    if (!found) {
      throw new InputError(
        `The entity's Storage tab shows no CloudNativePG Cluster ${namespace}/${name}`,
      );
    }
    return found;
  });
  const state = (d: PostgresClusterStatus) =>
    d.replicaOf ? `${d.name} follows ${d.replicaOf}` : `${d.name} is primary`;
  if (p.replicaOf !== undefined || r.replicaOf !== primary) {
    throw new InputError(
      `The hand-over to ${primary} has not happened (${state(p)}, ${state(
        r,
      )}): written into Git first, Flux would promote ${primary} without ${replica}'s demotion token, and the writes ${replica} took after it would be lost. Hand over with the plan's commands, then record it.`,
    );
  }
}

function describe(change: CnpgPrimaryChange, found: string[]): string {
  const { namespace, primary, replica } = change;
  return [
    `Records the hand-over of CloudNativePG's primary to \`${primary}\` (namespace \`${namespace}\`) that has been done on the cluster: \`${replica}\` follows it. The live Clusters already say this, so Flux's next apply changes nothing; without this change it would hand the primary back.`,
    '',
    ...found.map(f => `- ${f}`),
    '',
    'If the Kustomization that applies these manifests was suspended for the hand-over, resume it once this is merged. The promotion token stays out of Git: it belongs to one hand-over and is spent.',
  ].join('\n');
}
