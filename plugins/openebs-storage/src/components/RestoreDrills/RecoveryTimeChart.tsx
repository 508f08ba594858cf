import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDuration } from '../format';
import { ChartFigure } from '../charts/ChartFigure';
import {
  DURATION_AXIS_PROPS,
  TIME_AXIS_PROPS,
  formatPointTime,
  serviceLevelLineProps,
} from '../charts/chartAxes';
import { RecoveryPoint } from './recoveryTimes';

/** Props of {@link RecoveryTimeChart}. */
export interface RecoveryTimeChartProps {
  points: RecoveryPoint[];
  /** The restore service level, drawn as a line. */
  restoreSeconds: number;
}

/**
 * Recovery times over time against the restore service level, drills and
 * users' restores as two lines: whether restores get slower as the data
 * grows. Loaded lazily with the chart library.
 */
export default function RecoveryTimeChart(props: RecoveryTimeChartProps) {
  const { palette } = useTheme();
  return (
    <ChartFigure
      height={170}
      caption={
        <>
          Recovery times (service level {formatDuration(props.restoreSeconds)}
          ): drills from their Restore to pods Ready, restores from Velero's
          start to its completion
        </>
      }
    >
      <LineChart data={props.points}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis {...TIME_AXIS_PROPS} />
        <YAxis {...DURATION_AXIS_PROPS} />
        <Tooltip
          labelFormatter={formatPointTime}
          formatter={(v, name) => [formatDuration(Number(v)), name]}
        />
        <Legend />
        <ReferenceLine
          {...serviceLevelLineProps(props.restoreSeconds, palette.error.main)}
        />
        <Line
          name="Drill"
          dataKey="drillSeconds"
          stroke={palette.primary.main}
          connectNulls
          isAnimationActive={false}
        />
        <Line
          name="Restore"
          dataKey="restoreSeconds"
          stroke={palette.secondary.main}
          connectNulls
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFigure>
  );
}
