import { ReactElement, ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import { ResponsiveContainer } from 'recharts';

/**
 * A chart with its caption, as a figure: the caption is what a screen
 * reader and a test read; the chart fills the width at `height` pixels.
 */
export function ChartFigure(props: {
  caption: ReactNode;
  height: number;
  children: ReactElement;
}) {
  return (
    <figure style={{ margin: 0 }}>
      <Typography
        variant="caption"
        component="figcaption"
        color="textSecondary"
      >
        {props.caption}
      </Typography>
      <ResponsiveContainer width="100%" height={props.height}>
        {props.children}
      </ResponsiveContainer>
    </figure>
  );
}
