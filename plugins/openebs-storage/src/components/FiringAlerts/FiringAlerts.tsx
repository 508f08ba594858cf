import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  StatusError,
  StatusWarning,
} from '@backstage/core-components';
import { ClusterStorage } from '@openebs-portal/plugin-openebs-storage-common';
import { StatusText } from '../StatusText';
import { formatRelativeTime, formatTimestamp } from '../format';
import { useTableStyles } from '../tableStyles';
import { concernText } from './alertText';

/** Props of {@link FiringAlerts}. */
export interface FiringAlertsProps {
  clusters: ClusterStorage[];
}

/**
 * The alerts firing now about the entity's volumes, its backups' locations
 * and schedules, or Velero, from each cluster's Alertmanager: the summary
 * first and since when, the whole message on demand. Nothing when none fire.
 */
export function FiringAlerts(props: FiringAlertsProps) {
  const classes = useTableStyles();
  const rows = props.clusters.flatMap(cluster =>
    (cluster.alerts ?? []).map(alert => ({ cluster: cluster.cluster, alert })),
  );
  if (rows.length === 0) return null;
  return (
    <InfoCard title="Firing alerts">
      <Table size="small" aria-label="Firing alerts">
        <TableHead>
          <TableRow>
            <TableCell>Alert</TableCell>
            <TableCell>About</TableCell>
            <TableCell>Since</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(({ cluster, alert }, index) => (
            <TableRow key={`${cluster}-${alert.name}-${index}`}>
              <TableCell>
                <StatusText
                  icon={
                    alert.severity === 'critical' ? StatusError : StatusWarning
                  }
                >
                  {alert.summary}
                </StatusText>
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  {alert.name}
                  {alert.severity && ` · ${alert.severity}`}
                </Typography>
                {alert.detail && (
                  <details>
                    <summary>Full message</summary>
                    <Typography
                      variant="caption"
                      component="pre"
                      style={{ whiteSpace: 'pre-wrap' }}
                    >
                      {alert.detail}
                    </Typography>
                  </details>
                )}
              </TableCell>
              <TableCell>{concernText(alert.concerns, cluster)}</TableCell>
              <TableCell className={classes.nowrap}>
                {formatTimestamp(alert.since)}
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  {formatRelativeTime(alert.since)}
                </Typography>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
}
