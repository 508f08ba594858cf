import { ReactNode, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { MarkdownContent, Progress } from '@backstage/core-components';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { ServerErrorAlert } from '../ServerErrorAlert';

/** Props of {@link MarkdownDialogButton}. */
export interface MarkdownDialogButtonProps {
  label: string;
  title: string;
  /** Unique on the page: labels the dialog. */
  id: string;
  /** Fetched each time the dialog opens, so it shows the state of now. */
  load: () => Promise<string>;
  errorTitle: string;
  /** Beside Close, once the content has loaded (what to do with it). */
  actions?: ReactNode;
}

/**
 * A button opening a dialog with Markdown fetched from the backend when
 * opened (a runbook, a plan), its loading and its refusal shown in place.
 */
export function MarkdownDialogButton(props: MarkdownDialogButtonProps) {
  const { label, title, id, load, errorTitle, actions } = props;
  const [open, setOpen] = useState(false);
  const [content, fetchContent] = useAsyncFn(load, [load]);
  return (
    <>
      <Button
        size="small"
        onClick={() => {
          setOpen(true);
          fetchContent();
        }}
      >
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        maxWidth="md"
        fullWidth
        aria-labelledby={id}
      >
        <DialogTitle id={id}>{title}</DialogTitle>
        <DialogContent dividers>
          {content.loading && <Progress />}
          <ServerErrorAlert title={errorTitle} error={content.error} />
          {content.value && (
            <MarkdownContent content={content.value} dialect="gfm" />
          )}
        </DialogContent>
        <DialogActions>
          {content.value && actions}
          <Button onClick={() => setOpen(false)}>Close</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
