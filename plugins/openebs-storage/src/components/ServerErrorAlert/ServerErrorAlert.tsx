import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { serverMessage } from '../errors';

/**
 * Why an action was refused or failed: `title` says what did not happen,
 * the body is the server's own words. Nothing without an error.
 */
export function ServerErrorAlert(props: { title: string; error?: Error }) {
  const { title, error } = props;
  if (!error) return null;
  return (
    <Alert severity="error">
      <AlertTitle>{title}</AlertTitle>
      {serverMessage(error)}
    </Alert>
  );
}
