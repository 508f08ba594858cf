export { MarkdownDialogButton } from './MarkdownDialogButton';
export type { MarkdownDialogButtonProps } from './MarkdownDialogButton';
