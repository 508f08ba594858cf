import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { parseEntityRef } from '@backstage/catalog-model';
import { MarkdownContent, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { VolumeMigration } from '@openebs-portal/plugin-openebs-storage-common';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { openebsStorageApiRef } from '../../api';
import { ServerErrorAlert } from '../ServerErrorAlert';

/**
 * "Runbook": the migration's own runbook from the backend, fetched when
 * opened (its steps as they stand, the commands with the real names), for
 * whoever has to finish or undo it by hand.
 */
export function RunbookButton(props: {
  migration: VolumeMigration;
  entityRef: string;
}) {
  const { migration, entityRef } = props;
  const api = useApi(openebsStorageApiRef);
  const [open, setOpen] = useState(false);
  const [runbook, load] = useAsyncFn(
    () => api.getMigrationRunbook(parseEntityRef(entityRef), migration.id),
    [api, entityRef, migration.id],
  );
  const title = `Runbook of the migration of ${migration.namespace}/${migration.claim}`;
  return (
    <>
      <Button
        size="small"
        onClick={() => {
          setOpen(true);
          load();
        }}
      >
        Runbook
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        maxWidth="md"
        fullWidth
        aria-labelledby={`runbook-${migration.id}`}
      >
        <DialogTitle id={`runbook-${migration.id}`}>{title}</DialogTitle>
        <DialogContent dividers>
          {runbook.loading && <Progress />}
          <ServerErrorAlert
            title="The runbook could not be loaded"
            error={runbook.error}
          />
          {runbook.value && (
            <MarkdownContent content={runbook.value.markdown} dialect="gfm" />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Close</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
