import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { RestoreDrill } from '@openebs-portal/plugin-openebs-storage-common';
import { formatDuration } from '../format';
import {
  DURATION_AXIS_PROPS,
  TIME_AXIS_PROPS,
  formatPointTime,
  serviceLevelLineProps,
} from '../charts/chartAxes';

/** Props of {@link DrillRecoveryChart}. */
export interface DrillRecoveryChartProps {
  /** Drills with a measured recovery time, oldest first. */
  drills: RestoreDrill[];
  /** The restore service level, drawn as a line. */
  restoreSeconds: number;
}

/**
 * Recovery time of each drill over time, against the restore service level:
 * whether restores are getting slower as the data grows. Loaded lazily with
 * the chart library.
 */
export default function DrillRecoveryChart(props: DrillRecoveryChartProps) {
  const { palette } = useTheme();
  const data = props.drills.map(drill => ({
    at: Date.parse(drill.finishedAt ?? drill.queuedAt),
    recoverySeconds: drill.recoverySeconds,
  }));
  return (
    <figure style={{ margin: 0 }}>
      <Typography
        variant="caption"
        component="figcaption"
        color="textSecondary"
      >
        Recovery time per drill (service level{' '}
        {formatDuration(props.restoreSeconds)})
      </Typography>
      <ResponsiveContainer width="100%" height={150}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis {...TIME_AXIS_PROPS} />
          <YAxis {...DURATION_AXIS_PROPS} />
          <Tooltip
            labelFormatter={formatPointTime}
            formatter={v => [formatDuration(Number(v)), 'Recovery time']}
          />
          <ReferenceLine
            {...serviceLevelLineProps(props.restoreSeconds, palette.error.main)}
          />
          <Line
            dataKey="recoverySeconds"
            stroke={palette.primary.main}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
