import { useCallback } from 'react';
import Button from '@material-ui/core/Button';
import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  PostgresClusterStatus,
  PostgresMigrationPlan,
} from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../../api';
import { createFromTemplateRouteRef } from '../../routes';
import { MarkdownDialogButton } from '../MarkdownDialogButton';

const FENCE = '```';

/** The scaffolder template that proposes the plan's manifests in Git. */
export const CNPG_REPLICA_TEMPLATE = 'openebs-cnpg-replica';

/** Numbered steps, each command in its own block. */
function commands(steps: PostgresMigrationPlan['switchover']): string[] {
  return steps.map(
    (step, i) =>
      `${i + 1}. ${step.title}\n\n   ${FENCE}sh\n   ${
        step.command
      }\n   ${FENCE}`,
  );
}

/** The plan as the dialog shows it: what to commit, then what to run. */
export function planMarkdown(plan: PostgresMigrationPlan): string {
  const { namespace, cluster, target } = plan;
  return [
    `Moves \`${namespace}/${cluster}\` onto \`${target.storageClass}\` as the new Cluster \`${target.name}\`, by streaming replication: the application keeps running on \`${cluster}\` until the switchover, and no acknowledged write is lost.`,
    `### 1. Tell \`${cluster}\` of its replacement`,
    `A merge patch of its manifest (both Clusters must know each other to hand over the primary):`,
    `${FENCE}yaml\n${plan.existingPatch}${FENCE}`,
    `### 2. The new Cluster`,
    `Made from \`${cluster}\` by pg_basebackup, it follows it until the switchover. Commit it beside the existing one:`,
    `${FENCE}yaml\n${plan.replicaCluster}${FENCE}`,
    `### 3. The switchover`,
    `Once \`${target.name}\` is ready and its lag (\`pg_stat_replication\` on \`${cluster}\`) is a few seconds:`,
    ...commands(plan.switchover),
    `Afterwards \`${cluster}\` follows \`${target.name}\` and keeps its volume until you remove it.`,
    `### 4. The rollback`,
    `While \`${cluster}\` is kept, the same hand-over the other way makes it the primary again, with nothing \`${target.name}\` committed lost:`,
    ...commands(plan.rollback),
    `Where Flux applies the Clusters' manifests, it undoes a switchover made by hand while they still say otherwise: suspend the Kustomization first, commit both \`replica\` sections as the cluster has them afterwards (**Record in Git…** on the new primary's row proposes that), then resume it.`,
  ].join('\n\n');
}

/**
 * "Migration plan…" for a CloudNativePG Cluster not on OpenEBS: the
 * backend's plan for one OpenEBS class of its cluster, fetched when opened,
 * and "Propose in Git…", which opens the openebs-cnpg-replica template with
 * the cluster filled in (it asks the backend for the same plan).
 * `named`: the cluster has several such classes, one button each.
 */
export function MigrationPlanButton(props: {
  entityRef: string;
  cluster: string;
  database: PostgresClusterStatus;
  targetClass: string;
  named?: boolean;
}) {
  const { entityRef, cluster, database, targetClass, named } = props;
  const { namespace, name } = database;
  const api = useApi(openebsStorageApiRef);
  const load = useCallback(
    async () =>
      planMarkdown(
        await api.getPostgresMigrationPlan(parseEntityRef(entityRef), {
          cluster,
          namespace,
          name,
          targetClass,
        }),
      ),
    [api, entityRef, cluster, namespace, name, targetClass],
  );
  const createFromTemplate = useRouteRef(createFromTemplateRouteRef);
  const formData = {
    entityRef,
    cluster,
    namespace,
    database: name,
    targetClass,
  };
  return (
    <MarkdownDialogButton
      label={named ? `Migration plan onto ${targetClass}…` : 'Migration plan…'}
      title={`Move ${namespace}/${name} onto ${targetClass}`}
      id={`plan-${namespace}-${name}-${targetClass}`}
      load={load}
      errorTitle="The migration plan could not be made"
      actions={
        // Steps 1 and 2 as a pull request, where the app has the scaffolder.
        createFromTemplate && (
          <Button
            color="primary"
            component={Link}
            to={`${createFromTemplate({
              namespace: 'default',
              templateName: CNPG_REPLICA_TEMPLATE,
            })}?${new URLSearchParams({ formData: JSON.stringify(formData) })}`}
          >
            Propose in Git…
          </Button>
        )
      }
    />
  );
}
