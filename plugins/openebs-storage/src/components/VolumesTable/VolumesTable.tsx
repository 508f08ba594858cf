import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import {
  ClusterStorage,
  ServiceLevels,
} from '@openebs-portal/plugin-openebs-storage-common';
import { formatDuration } from '../format';
import { useTableStyles } from '../tableStyles';
import { VolumeRow } from './VolumeRow';
import { alertsOfVolume } from '../FiringAlerts';

/** Props of {@link VolumesTable}. */
export interface VolumesTableProps {
  clusters: ClusterStorage[];
  serviceLevels: ServiceLevels;
}

/**
 * Every PersistentVolumeClaim of the entity, across clusters, one row each:
 * where its data lives, how it was provisioned against the service level, and
 * how well it is protected.
 */
export function VolumesTable(props: VolumesTableProps) {
  const { clusters, serviceLevels } = props;
  const classes = useTableStyles();
  const rows = clusters.flatMap(cluster =>
    cluster.volumes.map(volume => ({
      volume,
      schedules: cluster.schedules,
      alerts: alertsOfVolume(cluster.alerts, volume),
    })),
  );
  return (
    <InfoCard
      title="Volumes"
      subheader="Expand a volume to see its backups, schedules and snapshots"
    >
      <Box className={classes.scroller}>
        <Table size="small" aria-label="Volumes" className={classes.table}>
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox">
                <Typography variant="srOnly">Details</Typography>
              </TableCell>
              <TableCell>Cluster</TableCell>
              <TableCell>Namespace</TableCell>
              <TableCell>PVC</TableCell>
              <TableCell>Class and engine</TableCell>
              <TableCell>Node</TableCell>
              <TableCell>Requested / provisioned</TableCell>
              <TableCell>Phase</TableCell>
              <TableCell>
                Provisioning (limit{' '}
                {formatDuration(serviceLevels.provisioningSeconds)})
              </TableCell>
              <TableCell className={classes.prose}>Health</TableCell>
              <TableCell>Last good backup</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(({ volume, schedules, alerts }) => (
              <VolumeRow
                key={`${volume.cluster}/${volume.uid}`}
                volume={volume}
                clusterSchedules={schedules}
                serviceLevels={serviceLevels}
                alerts={alerts}
              />
            ))}
          </TableBody>
        </Table>
      </Box>
    </InfoCard>
  );
}
