import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { InfoCard } from '@backstage/core-components';
import {
  ClusterStorage,
  ServiceLevels,
} from '@openebs-portal/plugin-openebs-storage-common';
import { formatDuration } from '../format';
import { VolumeRow } from './VolumeRow';

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
  const rows = clusters.flatMap(cluster =>
    cluster.volumes.map(volume => ({ volume, schedules: cluster.schedules })),
  );
  return (
    <InfoCard
      title="Volumes"
      subheader="Expand a volume to see its backups, schedules and snapshots"
    >
      <Box overflow="auto">
        <Table size="small" aria-label="Volumes">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              <TableCell>Cluster</TableCell>
              <TableCell>Namespace</TableCell>
              <TableCell>PVC</TableCell>
              <TableCell>Class</TableCell>
              <TableCell>Engine</TableCell>
              <TableCell>Node</TableCell>
              <TableCell>Requested / provisioned</TableCell>
              <TableCell>Phase</TableCell>
              <TableCell>
                Provisioning (limit{' '}
                {formatDuration(serviceLevels.provisioningSeconds)})
              </TableCell>
              <TableCell>Health</TableCell>
              <TableCell>Last good backup</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(({ volume, schedules }) => (
              <VolumeRow
                key={`${volume.cluster}/${volume.uid}`}
                volume={volume}
                clusterSchedules={schedules}
                serviceLevels={serviceLevels}
              />
            ))}
          </TableBody>
        </Table>
      </Box>
    </InfoCard>
  );
}
