import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  RestoreRequest,
  openebsStorageRestoreAdminPermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../../api';
import { ServerErrorAlert } from '../ServerErrorAlert';

/** Props of {@link CancelRestoreButton}. */
export interface CancelRestoreButtonProps {
  /** A restore still in progress (queued or running). */
  request: RestoreRequest;
  /** The entity whose restore it is. */
  entityRef: string;
  /** Called with the request, now `cancelled`. */
  onCancelled(request: RestoreRequest): void;
}

/**
 * "Cancel" on a restore in progress, for platform admins only (the
 * `openebs.storage.restore.admin` permission): asks for confirmation, then
 * asks the backend to cancel it. Renders nothing for anybody else.
 */
export function CancelRestoreButton(props: CancelRestoreButtonProps) {
  const { request } = props;
  const admin = usePermission({
    permission: openebsStorageRestoreAdminPermission,
  });
  const [open, setOpen] = useState(false);
  if (!admin.allowed) {
    return null;
  }
  return (
    <>
      <Box mt={0.5}>
        {/* Named after its restore: a list may hold several in progress. */}
        <Button
          size="small"
          variant="outlined"
          onClick={() => setOpen(true)}
          aria-label={`Cancel restore ${request.restoreName}`}
        >
          Cancel
        </Button>
      </Box>
      {open && (
        <ConfirmCancelDialog {...props} onClose={() => setOpen(false)} />
      )}
    </>
  );
}

function ConfirmCancelDialog(
  props: CancelRestoreButtonProps & { onClose(): void },
) {
  const { request, entityRef, onCancelled, onClose } = props;
  const api = useApi(openebsStorageApiRef);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<Error>();
  const started = Boolean(request.startedAt) && !request.queuedBehind;

  const cancel = async () => {
    if (cancelling) {
      return;
    }
    setCancelling(true);
    setError(undefined);
    try {
      const cancelled = await api.cancelRestore(
        parseEntityRef(entityRef),
        request.id,
      );
      onClose();
      onCancelled(cancelled);
    } catch (e) {
      setError(e as Error);
      setCancelling(false);
    }
  };

  return (
    <Dialog
      open
      onClose={cancelling ? undefined : onClose}
      aria-labelledby="openebs-cancel-restore-title"
    >
      <DialogTitle id="openebs-cancel-restore-title">
        Cancel restore {request.restoreName}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          The backend deletes its Velero Restore and marks the request cancelled
          by you.{' '}
          {started
            ? `What Velero has already brought back into namespace ${request.targetNamespace} stays there: check it, and remove what should not stay.`
            : 'Velero has not started it: nothing has come back yet.'}
        </DialogContentText>
        <ServerErrorAlert
          title="The restore could not be cancelled"
          error={error}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={cancelling}>
          Keep it
        </Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={cancel}
          disabled={cancelling}
        >
          {cancelling ? 'Cancelling…' : 'Cancel the restore'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
