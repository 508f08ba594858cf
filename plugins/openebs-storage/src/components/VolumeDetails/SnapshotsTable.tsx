import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { VolumeStatus } from '@openebs-portal/plugin-openebs-storage-common';
import { formatTimestamp } from '../format';

/** Props of {@link SnapshotsTable}. */
export interface SnapshotsTableProps {
  volume: VolumeStatus;
}

/** The CSI VolumeSnapshots of one volume (LVM and ZFS LocalPV). */
export function SnapshotsTable(props: SnapshotsTableProps) {
  const { volume } = props;
  if (volume.snapshots.length === 0) {
    return (
      <Typography variant="body2">
        No VolumeSnapshot of this volume exists.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={`Snapshots of ${volume.name}`}>
      <TableHead>
        <TableRow>
          <TableCell>Snapshot</TableCell>
          <TableCell>Snapshot class</TableCell>
          <TableCell>Ready</TableCell>
          <TableCell>Restore size</TableCell>
          <TableCell>Created</TableCell>
          <TableCell>Error</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {volume.snapshots.map(snapshot => (
          <TableRow key={snapshot.name}>
            <TableCell>{snapshot.name}</TableCell>
            <TableCell>{snapshot.className ?? '—'}</TableCell>
            <TableCell>{snapshot.readyToUse ? 'Ready' : 'Not ready'}</TableCell>
            <TableCell>{snapshot.restoreSize ?? '—'}</TableCell>
            <TableCell>
              {snapshot.createdAt ? formatTimestamp(snapshot.createdAt) : '—'}
            </TableCell>
            <TableCell>{snapshot.error ?? '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
