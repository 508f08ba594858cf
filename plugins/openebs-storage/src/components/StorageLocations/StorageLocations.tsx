import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles } from '@material-ui/core/styles';
import { InfoCard, StatusWarning } from '@backstage/core-components';
import { ClusterStorage } from '@openebs-portal/plugin-openebs-storage-common';
import { PhaseStatus } from '../PhaseStatus';
import { formatRelativeTime, formatTimestamp } from '../format';
import { useTableStyles } from '../tableStyles';
import { StatusText } from '../StatusText';

const useStyles = makeStyles(theme => ({
  // A location that is down means no backup can land: make it impossible
  // to miss.
  unavailable: {
    backgroundColor: alpha(theme.palette.error.main, 0.1),
    '& > *': { fontWeight: theme.typography.fontWeightBold },
  },
}));

/**
 * Why no schedule is listed. The backend lists only the schedules that
 * include one of the entity's namespaces, so other schedules may well exist.
 */
function noScheduleNote(clusters: ClusterStorage[]): string {
  const namespaces = Array.from(
    new Set(clusters.flatMap(cluster => cluster.namespaces)),
  ).sort();
  if (namespaces.length === 0) {
    return 'No Velero schedule covers the namespaces of this entity: nothing is backed up automatically.';
  }
  const noun = namespaces.length === 1 ? 'namespace' : 'namespaces';
  return `No Velero schedule covers ${noun} ${namespaces.join(
    ', ',
  )}: nothing of this entity is backed up automatically.`;
}

/** Props of {@link StorageLocations}. */
export interface StorageLocationsProps {
  clusters: ClusterStorage[];
}

/**
 * Where backups go (Velero BackupStorageLocations, with their phase) and
 * when they are taken (Velero schedules), per cluster.
 */
export function StorageLocations(props: StorageLocationsProps) {
  const { clusters } = props;
  const classes = useStyles();
  const cells = useTableStyles();
  const locations = clusters.flatMap(cluster =>
    cluster.storageLocations.map(location => ({ cluster, location })),
  );
  const schedules = clusters.flatMap(cluster =>
    cluster.schedules.map(schedule => ({ cluster, schedule })),
  );

  return (
    <InfoCard title="Backup storage">
      <Typography variant="subtitle2" component="h3" gutterBottom>
        Storage locations
      </Typography>
      {locations.length === 0 ? (
        <Typography variant="body2" paragraph>
          No backup storage location was found: backups have nowhere to go.
        </Typography>
      ) : (
        <Box className={cells.scroller} mb={3}>
          <Table
            size="small"
            aria-label="Backup storage locations"
            className={cells.table}
          >
            <TableHead>
              <TableRow>
                <TableCell>Cluster</TableCell>
                <TableCell>Location</TableCell>
                <TableCell>Phase</TableCell>
                <TableCell>Bucket</TableCell>
                <TableCell>Last validated</TableCell>
                <TableCell>Message</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {locations.map(({ cluster, location }) => (
                <TableRow
                  key={`${cluster.cluster}/${location.name}`}
                  className={
                    location.phase === 'Available'
                      ? undefined
                      : classes.unavailable
                  }
                >
                  <TableCell>{cluster.cluster}</TableCell>
                  <TableCell>
                    {location.name}
                    {location.isDefault && ' (default)'}
                  </TableCell>
                  <TableCell>
                    <PhaseStatus phase={location.phase} />
                  </TableCell>
                  <TableCell>
                    {[location.provider, location.bucket]
                      .filter(Boolean)
                      .join(' · ') || '—'}
                  </TableCell>
                  <TableCell>
                    {location.lastValidatedAt
                      ? formatTimestamp(location.lastValidatedAt)
                      : '—'}
                  </TableCell>
                  <TableCell className={cells.prose}>
                    {location.message ?? '—'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}

      <Typography variant="subtitle2" component="h3" gutterBottom>
        Schedules
      </Typography>
      {schedules.length === 0 ? (
        <Typography variant="body2">{noScheduleNote(clusters)}</Typography>
      ) : (
        <Box className={cells.scroller}>
          <Table
            size="small"
            aria-label="Backup schedules"
            className={cells.table}
          >
            <TableHead>
              <TableRow>
                <TableCell>Cluster</TableCell>
                <TableCell>Schedule</TableCell>
                <TableCell>Cron (UTC)</TableCell>
                <TableCell>Kept for (TTL)</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Last backup</TableCell>
                <TableCell>Location</TableCell>
                <TableCell>Entity namespaces covered</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {schedules.map(({ cluster, schedule }) => (
                <TableRow key={`${cluster.cluster}/${schedule.name}`}>
                  <TableCell>{cluster.cluster}</TableCell>
                  <TableCell>{schedule.name}</TableCell>
                  <TableCell>
                    <code>{schedule.cron}</code>
                  </TableCell>
                  <TableCell>{schedule.ttl ?? '—'}</TableCell>
                  <TableCell>
                    {schedule.paused ? (
                      <StatusText icon={StatusWarning}>Paused</StatusText>
                    ) : (
                      <PhaseStatus phase={schedule.phase ?? 'Enabled'} />
                    )}
                  </TableCell>
                  <TableCell>
                    {schedule.lastBackupAt
                      ? formatRelativeTime(schedule.lastBackupAt)
                      : 'never'}
                  </TableCell>
                  <TableCell>{schedule.storageLocation ?? 'default'}</TableCell>
                  <TableCell>
                    {schedule.coversNamespaces.join(', ') || '—'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </InfoCard>
  );
}
