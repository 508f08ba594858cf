import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { RestoreMode } from '@openebs-portal/plugin-openebs-storage-common';
import { PreviewAnswer } from '../../hooks/useRestorePreview';
import {
  isRestoreRefusal,
  restoreErrorTitles,
  serverErrorName,
  serverMessage,
} from '../errors';
import { useDialogStyles } from './dialogStyles';

const useStyles = makeStyles(theme => ({
  contentsList: {
    marginTop: theme.spacing(0.5),
    marginBottom: theme.spacing(1),
  },
}));

/**
 * "What comes back": the claims and workloads the restore brings back, as
 * the backend answers a preview of it, or why the backend would refuse it.
 */
export function RestorePreviewSection(props: {
  namespace: string;
  mode: RestoreMode;
  /** The volumes ticked. */
  chosen: string[];
  answer?: PreviewAnswer;
  checking: boolean;
  checkAgain(): void;
}) {
  const { namespace, mode, chosen, answer, checking, checkAgain } = props;
  const classes = useDialogStyles();
  const checkAgainButton = (
    <Button
      color="inherit"
      size="small"
      onClick={checkAgain}
      disabled={checking}
    >
      {checking ? 'Checking…' : 'Check again'}
    </Button>
  );

  let body;
  if (!answer) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Asking the backend what this restore brings back…
      </Typography>
    );
  } else if (answer.error && isRestoreRefusal(answer.error)) {
    body = (
      <Alert severity="error" action={checkAgainButton}>
        <AlertTitle>
          {restoreErrorTitles[serverErrorName(answer.error)]}
        </AlertTitle>
        <span className={classes.serverMessage}>
          {serverMessage(answer.error)}
        </span>
      </Alert>
    );
  } else if (answer.error) {
    // Not a refusal: the backend could not answer. Submitting still works,
    // and the backend checks everything again then.
    body = (
      <Alert severity="info" action={checkAgainButton}>
        What this restore brings back could not be checked:{' '}
        {serverMessage(answer.error)}. The backend checks the restore again when
        you submit it.
      </Alert>
    );
  } else {
    const { targetNamespace, contents, inPlace } = answer.preview;
    body = (
      <>
        <Typography variant="body2" gutterBottom>
          Velero restores all of the entity's pods in namespace {namespace} with
          their claims, not only the volumes ticked above. Into namespace{' '}
          <strong>{targetNamespace}</strong> come back:
        </Typography>
        <Typography variant="body2" component="div" id="openebs-restore-claims">
          Claims
        </Typography>
        <ContentsList
          labelledBy="openebs-restore-claims"
          items={contents.claims.map(claim => ({
            name: claim,
            note: chosen.includes(claim)
              ? undefined
              : 'not ticked: comes back too',
          }))}
        />
        <Typography
          variant="body2"
          component="div"
          id="openebs-restore-workloads"
        >
          Workloads
        </Typography>
        <ContentsList
          labelledBy="openebs-restore-workloads"
          items={contents.workloads.map(workload => ({ name: workload }))}
        />
        {mode === 'in-place' && inPlace && (
          <>
            <Typography
              variant="body2"
              component="div"
              id="openebs-restore-stopped"
            >
              Stopped first, and started again after the restore
            </Typography>
            <ContentsList
              labelledBy="openebs-restore-stopped"
              items={inPlace.workloads.map(workload => ({ name: workload }))}
            />
            <Typography
              variant="body2"
              component="div"
              id="openebs-restore-removed"
            >
              Deleted before the restore (their current data is lost)
            </Typography>
            <ContentsList
              labelledBy="openebs-restore-removed"
              items={inPlace.claimsRemoved.map(claim => ({
                name: claim,
                note: inPlace.onDeadNodes.includes(claim)
                  ? 'on a node that is down: its volume is deleted too'
                  : undefined,
              }))}
            />
          </>
        )}
      </>
    );
  }

  return (
    <Box
      className={classes.section}
      role="region"
      aria-labelledby="openebs-restore-preview-title"
      aria-busy={checking}
    >
      <Typography
        variant="subtitle1"
        component="h3"
        id="openebs-restore-preview-title"
      >
        What comes back
      </Typography>
      {body}
    </Box>
  );
}

/** One list of "What comes back", or "none". */
function ContentsList(props: {
  labelledBy: string;
  items: Array<{ name: string; note?: string }>;
}) {
  const { labelledBy, items } = props;
  const classes = useStyles();
  if (items.length === 0) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.contentsList}
      >
        none
      </Typography>
    );
  }
  return (
    <Box
      component="ul"
      className={classes.contentsList}
      aria-labelledby={labelledBy}
    >
      {items.map(({ name, note }) => (
        <Typography key={name} variant="body2" component="li">
          {name}
          {note && (
            <Typography variant="body2" component="span" color="textSecondary">
              {' '}
              ({note})
            </Typography>
          )}
        </Typography>
      ))}
    </Box>
  );
}
