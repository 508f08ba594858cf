import { FormEvent, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ClusterStorage,
  RestoreMode,
  RestoreRequest,
  VolumeBackup,
  openebsStorageRestoreInPlacePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../../api';
import { RestoreInput, useRestorePreview } from '../../hooks/useRestorePreview';
import {
  isRestoreRefusal,
  restoreErrorTitles,
  serverErrorName,
  serverMessage,
} from '../errors';
import { formatIssueCounts, formatTimestamp, isDeletedVolume } from '../format';
import {
  RestoreCandidate,
  backupStorageLocation,
  defaultTargetNamespace,
  namespaceNameProblem,
  newRequestId,
} from './restoreRules';
import { useDialogStyles } from './dialogStyles';
import { RestorePreviewSection } from './RestorePreviewSection';

const useStyles = makeStyles(theme => ({
  modeExplanation: { marginLeft: theme.spacing(4) },
}));

/** Props of {@link RestoreDialog}. */
export interface RestoreDialogProps {
  entityRef: CompoundEntityRef;
  /** The volume's backup the restore was started from. */
  backup: VolumeBackup;
  /**
   * The volumes the backup copied in the same namespace, the one the
   * restore was started from first (it is preselected).
   */
  candidates: RestoreCandidate[];
  cluster?: ClusterStorage;
  onClose(): void;
  onRequested(request: RestoreRequest): void;
}

/**
 * Asks which volumes of a backup to restore, and where: into a new
 * namespace (the default, which touches nothing that exists) or, with the
 * separate permission and a typed confirmation, in place.
 *
 * Mount it only while it is open: the request's idempotency key is made
 * once per opening, so a double click or a retry after an error cannot
 * start a second restore.
 */
export function RestoreDialog(props: RestoreDialogProps) {
  const { entityRef, backup, candidates, cluster, onClose, onRequested } =
    props;
  const classes = { ...useDialogStyles(), ...useStyles() };
  const api = useApi(openebsStorageApiRef);
  const [first] = candidates;
  const namespace = first.volume.namespace;

  const inPlace = usePermission({
    permission: openebsStorageRestoreInPlacePermission,
    resourceRef: stringifyEntityRef(entityRef),
  });

  const [requestId] = useState(newRequestId);
  const [volumes, setVolumes] = useState<string[]>([first.volume.name]);
  const [mode, setMode] = useState<RestoreMode>('new-namespace');
  const [targetNamespace, setTargetNamespace] = useState(() =>
    defaultTargetNamespace(namespace, new Date()),
  );
  const [confirmation, setConfirmation] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();

  const targetProblem =
    namespaceNameProblem(targetNamespace) ??
    (targetNamespace === namespace
      ? 'This is the namespace the volumes came from: choose a new one.'
      : undefined);
  const valid =
    volumes.length > 0 &&
    (mode === 'new-namespace' ? !targetProblem : confirmation === namespace);
  const input: RestoreInput | undefined = valid
    ? {
        cluster: first.volume.cluster,
        backupName: backup.backupName,
        namespace,
        // In the order listed, not the order clicked.
        volumes: candidates
          .map(c => c.volume.name)
          .filter(name => volumes.includes(name)),
        mode,
        ...(mode === 'new-namespace' ? { targetNamespace } : { confirmation }),
      }
    : undefined;
  const preview = useRestorePreview(entityRef, input);
  // A refusal known before submitting: the request would be refused too.
  const refused = Boolean(
    preview.answer?.error && isRestoreRefusal(preview.answer.error),
  );

  const toggleVolume = (name: string, checked: boolean) =>
    setVolumes(current =>
      checked ? [...current, name] : current.filter(v => v !== name),
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!input || refused || submitting) {
      return;
    }
    setSubmitting(true);
    setError(undefined);
    try {
      const request = await api.requestRestore(entityRef, {
        requestId,
        ...input,
      });
      onRequested(request);
    } catch (e) {
      setError(e as Error);
      setSubmitting(false);
    }
  };

  const location = backupStorageLocation(backup, cluster);
  const issueCounts = formatIssueCounts(backup);
  const claimList = volumes.join(', ') || 'the chosen claims';
  // Claims already deleted (listed from their backups) need no removing.
  const allDeleted = candidates
    .filter(c => volumes.includes(c.volume.name))
    .every(c => isDeletedVolume(c.volume));

  return (
    <Dialog
      open
      onClose={submitting ? undefined : onClose}
      aria-labelledby="openebs-restore-dialog-title"
      maxWidth="md"
      fullWidth
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="openebs-restore-dialog-title">
          Restore from backup {backup.backupName}
        </DialogTitle>
        <DialogContent>
          <Box className={classes.section}>
            <Typography variant="body2">
              Backup <strong>{backup.backupName}</strong> of namespace{' '}
              <strong>{namespace}</strong> in cluster{' '}
              <strong>{first.volume.cluster}</strong>
              {backup.startedAt &&
                `, taken ${formatTimestamp(backup.startedAt)}`}
              {backup.scheduleName && ` by schedule ${backup.scheduleName}`}
              {location && `, stored in ${location.name}`}.
            </Typography>
            {backup.backupPhase === 'PartiallyFailed' && (
              <Box mt={1}>
                <Alert severity="warning">
                  This backup partially failed
                  {issueCounts ? ` (${issueCounts})` : ''}: some of its
                  resources or volumes may be missing. Check the restored data
                  before you rely on it.
                </Alert>
              </Box>
            )}
          </Box>

          <FormControl
            component="fieldset"
            className={classes.section}
            error={volumes.length === 0}
          >
            <FormLabel component="legend">Volumes to restore</FormLabel>
            <FormGroup>
              {candidates.map(({ volume, copy }) => {
                const copied = copy.phase === 'Completed';
                return (
                  <FormControlLabel
                    key={volume.uid}
                    control={
                      <Checkbox
                        checked={volumes.includes(volume.name)}
                        disabled={!copied || submitting}
                        onChange={e =>
                          toggleVolume(volume.name, e.target.checked)
                        }
                      />
                    }
                    label={
                      copied
                        ? volume.name
                        : `${volume.name} (not restorable: its copy is ${copy.phase})`
                    }
                  />
                );
              })}
            </FormGroup>
            <FormHelperText>
              {volumes.length === 0
                ? 'Choose at least one volume.'
                : `The volumes of namespace ${namespace} that this backup copied.`}
            </FormHelperText>
          </FormControl>

          <FormControl component="fieldset" className={classes.section}>
            <FormLabel component="legend">Where the data comes back</FormLabel>
            <RadioGroup
              name="mode"
              value={mode}
              onChange={e => setMode(e.target.value as RestoreMode)}
            >
              <FormControlLabel
                value="new-namespace"
                control={<Radio disabled={submitting} />}
                label="New namespace (recommended)"
              />
              <Typography
                variant="body2"
                color="textSecondary"
                className={classes.modeExplanation}
              >
                Velero writes backed-up data only into claims it creates itself
                and never overwrites an existing one, so the workload and its
                volumes come back beside the running ones: check the data there,
                then switch over.
              </Typography>
              {mode === 'new-namespace' && (
                <Box className={classes.modeExplanation} mt={1} mb={1}>
                  <TextField
                    id="openebs-restore-target-namespace"
                    label="Target namespace"
                    value={targetNamespace}
                    onChange={e => setTargetNamespace(e.target.value)}
                    error={Boolean(targetProblem)}
                    helperText={
                      targetProblem ??
                      'Created by the restore; it must not exist yet.'
                    }
                    disabled={submitting}
                    fullWidth
                  />
                </Box>
              )}
              <FormControlLabel
                value="in-place"
                control={<Radio disabled={submitting} />}
                label="In place"
              />
            </RadioGroup>
            {!inPlace.loading && !inPlace.allowed && (
              <FormHelperText>
                In place needs a platform admin's approval (the{' '}
                {openebsStorageRestoreInPlacePermission.name} permission): your
                request waits until one approves it, and nothing changes before.
              </FormHelperText>
            )}
          </FormControl>

          {mode === 'in-place' && (
            <Box className={classes.section}>
              <Alert severity="warning">
                <AlertTitle>The portal replaces the data in place</AlertTitle>
                {allDeleted
                  ? `The claims ${claimList} no longer exist: the restore recreates them in namespace ${namespace} from the backup.`
                  : `The claims ${claimList} are deleted and recreated from the backup: their current data is lost.`}{' '}
                The portal leads the steps: it scales the workloads that mount
                them to zero, deletes the claims, has Velero restore them,
                removes the pods Velero ran to write the data and scales the
                workloads back. Each step shows under Restores; one that fails
                stops the rest with the reason.
              </Alert>
              <Box mt={2}>
                <TextField
                  id="openebs-restore-confirmation"
                  label={`Type ${namespace} to confirm`}
                  value={confirmation}
                  onChange={e => setConfirmation(e.target.value)}
                  disabled={submitting}
                  autoComplete="off"
                  fullWidth
                />
              </Box>
            </Box>
          )}

          {input && (
            <RestorePreviewSection
              namespace={namespace}
              mode={mode}
              chosen={input.volumes}
              {...preview}
            />
          )}

          {error && (
            <Alert severity="error">
              <AlertTitle>
                {restoreErrorTitles[serverErrorName(error)] ??
                  'The restore could not be requested'}
              </AlertTitle>
              <span className={classes.serverMessage}>
                {serverMessage(error)}
              </span>
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={submitting}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={!valid || refused || submitting}
          >
            {submitting ? 'Requesting…' : 'Restore'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
