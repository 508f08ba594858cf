import { ComponentType, ReactNode } from 'react';
import Box from '@material-ui/core/Box';

/** Props of {@link StatusText}. */
export interface StatusTextProps {
  /** A Backstage status icon such as `StatusOK`. */
  icon: ComponentType;
  children: ReactNode;
  /** Keep the text on one line (phases, labels in tables). */
  nowrap?: boolean;
}

/**
 * A coloured status icon with its text beside it, centred on one baseline.
 *
 * The Backstage status components hide their content from assistive
 * technology, so only the icon goes inside them and the text stays readable.
 */
export function StatusText(props: StatusTextProps) {
  const { icon: Icon, children, nowrap } = props;
  return (
    <Box
      component="span"
      display="inline-flex"
      alignItems="center"
      whiteSpace={nowrap ? 'nowrap' : undefined}
    >
      <Icon />
      {children}
    </Box>
  );
}
