import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { parseEntityRef } from '@backstage/catalog-model';
import { MarkdownContent, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  PostgresClusterStatus,
  PostgresMigrationPlan,
} from '@openebs-portal/plugin-openebs-storage-common';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { openebsStorageApiRef } from '../../api';
import { ServerErrorAlert } from '../ServerErrorAlert';

const FENCE = '```';

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
    ...plan.switchover.map(
      (step, i) =>
        `${i + 1}. ${step.title}\n\n   ${FENCE}sh\n   ${
          step.command
        }\n   ${FENCE}`,
    ),
    `Afterwards \`${cluster}\` follows \`${target.name}\` and keeps its volume until you remove it.`,
  ].join('\n\n');
}

/**
 * "Migration plan…" for a CloudNativePG Cluster not on OpenEBS: the
 * backend's plan for the cluster's first OpenEBS class, fetched when opened.
 */
export function MigrationPlanButton(props: {
  entityRef: string;
  cluster: string;
  database: PostgresClusterStatus;
  targetClass: string;
}) {
  const { entityRef, cluster, database, targetClass } = props;
  const api = useApi(openebsStorageApiRef);
  const [open, setOpen] = useState(false);
  const [plan, load] = useAsyncFn(
    () =>
      api.getPostgresMigrationPlan(parseEntityRef(entityRef), {
        cluster,
        namespace: database.namespace,
        name: database.name,
        targetClass,
      }),
    [api, entityRef, cluster, database.namespace, database.name, targetClass],
  );
  const id = `plan-${database.namespace}-${database.name}`;
  return (
    <>
      <Button
        size="small"
        onClick={() => {
          setOpen(true);
          load();
        }}
      >
        Migration plan…
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        maxWidth="md"
        fullWidth
        aria-labelledby={id}
      >
        <DialogTitle id={id}>
          Move {database.namespace}/{database.name} onto {targetClass}
        </DialogTitle>
        <DialogContent dividers>
          {plan.loading && <Progress />}
          <ServerErrorAlert
            title="The migration plan could not be made"
            error={plan.error}
          />
          {plan.value && (
            <MarkdownContent content={planMarkdown(plan.value)} dialect="gfm" />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Close</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
