import { makeStyles } from '@material-ui/core/styles';

/** Styles shared by the restore dialog and its "What comes back" section. */
export const useDialogStyles = makeStyles(theme => ({
  section: { marginBottom: theme.spacing(3) },
  // The server's reason often lists steps on separate lines: keep them.
  serverMessage: { whiteSpace: 'pre-line' },
}));
