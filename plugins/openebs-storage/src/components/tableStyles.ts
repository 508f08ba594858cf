import { makeStyles } from '@material-ui/core/styles';

/**
 * Styles shared by the plugin's tables.
 *
 * Backstage's theme gives table cells `word-break: break-word`, which splits
 * names, phases and durations mid-word ("Clu/ste/r", "Complet/ed",
 * "1 min 35/s") as soon as a table is tight. Here words stay whole: headers
 * wrap only between words, identifiers, phases and durations never wrap, and
 * only prose (a health or failure reason) wraps, within bounds. A table
 * wider than its card scrolls sideways in its {@link useTableStyles}
 * `scroller`.
 */
export const useTableStyles = makeStyles(theme => ({
  /**
   * Around a table: scrolls it sideways when it is wider than the card. Also
   * the containing block of the visually hidden texts in the table (they are
   * absolutely positioned): without it they would stretch the whole page
   * instead of the scrolled box.
   */
  scroller: { overflowX: 'auto', position: 'relative' },
  /** On the `Table`: no cell breaks inside a word; denser than the theme. */
  table: {
    '& th, & td': {
      wordBreak: 'normal',
      overflowWrap: 'normal',
      paddingLeft: theme.spacing(1),
      paddingRight: theme.spacing(1),
    },
  },
  /** Identifiers, phases, durations, sizes. */
  nowrap: { whiteSpace: 'nowrap' },
  /** A reason or message: wraps between words, in a column of sane width. */
  prose: {
    minWidth: 180,
    maxWidth: 360,
    whiteSpace: 'normal',
    // A single token longer than the column (a long backup name) may break.
    overflowWrap: 'anywhere',
  },
  /** A column of messages, often empty: narrower than prose. */
  message: {
    minWidth: 120,
    maxWidth: 360,
    whiteSpace: 'normal',
    overflowWrap: 'anywhere',
  },
}));
