import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  RestoreRequest,
  openebsStorageRestoreInPlacePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../../api';
import { ServerErrorAlert } from '../ServerErrorAlert';

/** Props of {@link ApprovalButtons}. */
export interface ApprovalButtonsProps {
  /** An in-place restore awaiting approval. */
  request: RestoreRequest;
  /** The entity whose restore it is. */
  entityRef: string;
  /** Called with the request once decided. */
  onDecided(request: RestoreRequest): void;
}

/**
 * "Approve" and "Reject…" on an in-place restore that waits, for the users
 * who may restore in place (`openebs.storage.restore.inplace` on the
 * entity). Each asks before it acts; a rejection needs a reason. The
 * backend refuses the requester's own approval. Nothing for anybody else.
 */
export function ApprovalButtons(props: ApprovalButtonsProps) {
  const { request, entityRef } = props;
  const inPlace = usePermission({
    permission: openebsStorageRestoreInPlacePermission,
    resourceRef: entityRef,
  });
  const [deciding, setDeciding] = useState<'approve' | 'reject'>();
  if (!inPlace.allowed) return null;
  return (
    <>
      <Box mt={0.5} display="flex" style={{ gap: 8 }}>
        <Button
          size="small"
          variant="outlined"
          color="primary"
          onClick={() => setDeciding('approve')}
          aria-label={`Approve restore ${request.restoreName}`}
        >
          Approve
        </Button>
        <Button
          size="small"
          variant="outlined"
          onClick={() => setDeciding('reject')}
          aria-label={`Reject restore ${request.restoreName}`}
        >
          Reject…
        </Button>
      </Box>
      {deciding && (
        <DecisionDialog
          {...props}
          approve={deciding === 'approve'}
          onClose={() => setDeciding(undefined)}
        />
      )}
    </>
  );
}

function DecisionDialog(
  props: ApprovalButtonsProps & { approve: boolean; onClose(): void },
) {
  const { request, entityRef, onDecided, approve, onClose } = props;
  const api = useApi(openebsStorageApiRef);
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Error>();

  const decide = async () => {
    if (sending) return;
    setSending(true);
    setError(undefined);
    try {
      const decided = await api.decideRestore(
        parseEntityRef(entityRef),
        request.id,
        approve ? { approve: true } : { approve: false, reason: reason.trim() },
      );
      onClose();
      onDecided(decided);
    } catch (e) {
      setError(e as Error);
      setSending(false);
    }
  };

  const verb = approve ? 'Approve' : 'Reject';
  return (
    <Dialog
      open
      onClose={sending ? undefined : onClose}
      aria-labelledby="openebs-decide-restore-title"
    >
      <DialogTitle id="openebs-decide-restore-title">
        {verb} the in-place restore {request.restoreName}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          {approve
            ? `The portal checks it again now and then replaces the data of ${request.volumes.join(
                ', ',
              )} in namespace ${request.sourceNamespace} from backup ${
                request.backupName
              }: it stops the workloads, deletes the claims, restores them and starts the workloads again.`
            : 'Nothing changes; the requester is told why.'}
        </DialogContentText>
        {!approve && (
          <TextField
            id="openebs-reject-reason"
            label="Reason"
            value={reason}
            onChange={e => setReason(e.target.value)}
            disabled={sending}
            required
            fullWidth
            multiline
            inputProps={{ maxLength: 500 }}
          />
        )}
        <ServerErrorAlert title="The decision was not recorded" error={error} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={sending}>
          Back
        </Button>
        <Button
          color={approve ? 'primary' : 'secondary'}
          variant="contained"
          onClick={decide}
          disabled={sending || (!approve && reason.trim() === '')}
        >
          {sending ? 'Sending…' : verb}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
