import { formatDuration } from '../format';

// Recharts finds its parts by their component type, so shared parts are
// props to spread on them rather than components of our own.

/** `2026-12-03 10:17`: a point's time in a tooltip. */
export function formatPointTime(ms: unknown): string {
  return new Date(Number(ms)).toISOString().slice(0, 16).replace('T', ' ');
}

/** An x axis of points whose `at` is epoch milliseconds, ticked by day. */
export const TIME_AXIS_PROPS = {
  dataKey: 'at',
  type: 'number' as const,
  scale: 'time' as const,
  domain: ['dataMin', 'dataMax'],
  tickFormatter: (ms: number) => new Date(ms).toISOString().slice(5, 10),
  fontSize: 11,
};

/** A y axis of seconds, ticked as durations. */
export const DURATION_AXIS_PROPS = {
  tickFormatter: (seconds: number) => formatDuration(seconds),
  fontSize: 11,
  width: 56,
};

/** A service level drawn across a chart, in the theme's error colour. */
export function serviceLevelLineProps(y: number, errorColor: string) {
  return { y, stroke: errorColor, strokeDasharray: '4 2' };
}
