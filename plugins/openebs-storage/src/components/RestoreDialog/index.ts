export { RestoreButton } from './RestoreButton';
export type { RestoreButtonProps } from './RestoreButton';
export { RestoreContext } from './RestoreContext';
export type { RestoreActions } from './RestoreContext';
export { RestoreDialog } from './RestoreDialog';
export type { RestoreDialogProps } from './RestoreDialog';
