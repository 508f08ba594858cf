import Grid from '@material-ui/core/Grid';
import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatBytes, formatDuration } from '../format';
import { VolumeTrendData } from './volumeTrends';
import { ChartFigure } from '../charts/ChartFigure';
import {
  DURATION_AXIS_PROPS,
  TIME_AXIS_PROPS,
  formatPointTime,
  serviceLevelLineProps,
} from '../charts/chartAxes';

/** Props of {@link VolumeTrendCharts}. */
export interface VolumeTrendChartsProps {
  trends: VolumeTrendData;
  /** The backup service level, drawn as a line on the duration chart. */
  backupSeconds: number;
}

const HEIGHT = 150;

function Chart(props: { title: string; children: React.ReactElement }) {
  return (
    <Grid item xs={12} md={4}>
      <ChartFigure caption={props.title} height={HEIGHT}>
        {props.children}
      </ChartFigure>
    </Grid>
  );
}

/**
 * Three small charts of a volume's backups over the window: bytes per
 * backup, duration per backup against the service level, and good against
 * failed runs per day. Loaded lazily: the chart library is only fetched when
 * someone opens a volume.
 */
export default function VolumeTrendCharts(props: VolumeTrendChartsProps) {
  const { trends, backupSeconds } = props;
  const { palette } = useTheme();
  const good = trends.points.filter(p => p.good);
  return (
    <Grid container spacing={2}>
      <Chart title="Bytes per good backup">
        <LineChart data={good}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis {...TIME_AXIS_PROPS} />
          <YAxis tickFormatter={v => formatBytes(v)} fontSize={11} width={64} />
          <Tooltip
            labelFormatter={formatPointTime}
            formatter={v => [formatBytes(Number(v)), 'Bytes']}
          />
          <Line
            dataKey="bytes"
            stroke={palette.primary.main}
            dot={good.length < 40}
            isAnimationActive={false}
          />
        </LineChart>
      </Chart>
      <Chart
        title={`Backup duration (service level ${formatDuration(
          backupSeconds,
        )})`}
      >
        <BarChart data={trends.points}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis {...TIME_AXIS_PROPS} />
          <YAxis {...DURATION_AXIS_PROPS} />
          <Tooltip
            labelFormatter={formatPointTime}
            formatter={v => [formatDuration(Number(v)), 'Duration']}
          />
          <ReferenceLine
            {...serviceLevelLineProps(backupSeconds, palette.error.main)}
          />
          <Bar
            dataKey="durationSeconds"
            fill={palette.primary.light}
            isAnimationActive={false}
          />
        </BarChart>
      </Chart>
      <Chart title={`Runs per day, last ${trends.windowDays} days`}>
        <BarChart data={trends.days}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" tickFormatter={d => d.slice(5)} fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} width={32} />
          <Tooltip />
          <Bar
            dataKey="good"
            name="Good"
            stackId="runs"
            fill={palette.success?.main ?? '#4caf50'}
            isAnimationActive={false}
          />
          <Bar
            dataKey="failed"
            name="Failed"
            stackId="runs"
            fill={palette.error.main}
            isAnimationActive={false}
          />
        </BarChart>
      </Chart>
    </Grid>
  );
}
