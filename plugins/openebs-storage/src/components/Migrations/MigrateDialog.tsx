import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  VolumeMigration,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../../api';
import { ServerErrorAlert } from '../ServerErrorAlert';
import { newRequestId } from '../RestoreDialog/restoreRules';

/** Props of {@link MigrateDialog}. */
export interface MigrateDialogProps {
  entityRef: CompoundEntityRef;
  volume: VolumeStatus;
  /** The cluster's OpenEBS LocalPV hostpath classes. */
  targets: string[];
  onClose(): void;
  onRequested(migration: VolumeMigration): void;
}

/**
 * Asks which OpenEBS class a claim moves to, says what the migration does
 * (the stop, the copy and its proof, the kept old volume) and requests it.
 * A refusal is shown as the server words it; the request id stays the
 * same while the dialog is open, so a retry never starts a second one.
 */
export function MigrateDialog(props: MigrateDialogProps) {
  const { entityRef, volume, targets, onClose, onRequested } = props;
  const api = useApi(openebsStorageApiRef);
  const [targetClass, setTargetClass] = useState(targets[0] ?? '');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Error>();
  const [requestId] = useState(newRequestId);

  const submit = async () => {
    if (sending) return;
    setSending(true);
    setError(undefined);
    try {
      onRequested(
        await api.requestMigration(entityRef, {
          requestId,
          cluster: volume.cluster,
          namespace: volume.namespace,
          claim: volume.name,
          targetClass,
        }),
      );
    } catch (e) {
      setError(e as Error);
      setSending(false);
    }
  };

  const where = volume.node ? ` on ${volume.node}` : '';
  return (
    <Dialog
      open
      onClose={sending ? undefined : onClose}
      aria-labelledby="openebs-migrate-title"
    >
      <DialogTitle id="openebs-migrate-title">
        Migrate {volume.namespace}/{volume.name} to OpenEBS
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          The workloads that mount the claim ({volume.pods.join(', ') || 'none'}
          ) are scaled to zero while a copy pod{where} copies the volume into a
          new one on the class you choose and compares the checksums of every
          file on both sides. The claim keeps its name and is bound to the new
          volume; the workloads start again. The old volume is kept until you
          confirm, and a rollback binds the claim to it again after checking
          that it is unchanged. The time the workloads are stopped is measured.
        </DialogContentText>
        <TextField
          select
          id="openebs-migrate-target"
          label="OpenEBS storage class"
          value={targetClass}
          onChange={e => setTargetClass(e.target.value)}
          disabled={sending}
          fullWidth
        >
          {targets.map(name => (
            <MenuItem key={name} value={name}>
              {name}
            </MenuItem>
          ))}
        </TextField>
        <ServerErrorAlert title="The migration was not started" error={error} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={sending}>
          Back
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={submit}
          disabled={sending || !targetClass}
        >
          {sending ? 'Sending…' : 'Migrate'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
