import { useContext } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  ServiceLevels,
  VolumeBackup,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { DurationAgainstLimit } from '../DurationAgainstLimit';
import { PhaseStatus } from '../PhaseStatus';
import { RestoreButton, RestoreContext } from '../RestoreDialog';
import {
  formatBytes,
  formatIssueCounts,
  formatRelativeTime,
  formatTimestamp,
} from '../format';

const methodLabels: Record<VolumeBackup['method'], string> = {
  'fs-backup': 'File system (Kopia)',
  'data-mover': 'CSI snapshot data mover',
};

/**
 * Newest first. The backend already sends them so, but the reader relies on
 * the order to find the latest backup, so it is not left to chance. Backups
 * that never started sort last.
 */
function newestFirst(backups: VolumeBackup[]): VolumeBackup[] {
  const startedAt = (backup: VolumeBackup) =>
    backup.startedAt ? Date.parse(backup.startedAt) : -Infinity;
  return [...backups].sort((a, b) => startedAt(b) - startedAt(a));
}

function formatSize(backup: VolumeBackup): string {
  const { bytesDone, totalBytes } = backup;
  if (bytesDone !== undefined && totalBytes !== undefined) {
    return bytesDone < totalBytes
      ? `${formatBytes(bytesDone)} of ${formatBytes(totalBytes)}`
      : formatBytes(bytesDone);
  }
  const bytes = bytesDone ?? totalBytes;
  return bytes === undefined ? '—' : formatBytes(bytes);
}

/** Props of {@link BackupsTable}. */
export interface BackupsTableProps {
  volume: VolumeStatus;
  serviceLevels: ServiceLevels;
}

/**
 * The Velero backups that copied one volume, newest first, each duration
 * measured against the backup service level. On the Storage tab (inside a
 * `RestoreContext`) each backup has a "Restore…" action.
 */
export function BackupsTable(props: BackupsTableProps) {
  const { volume, serviceLevels } = props;
  const canOfferRestore = Boolean(useContext(RestoreContext));
  if (volume.backups.length === 0) {
    return (
      <Typography variant="body2">
        No backup has copied this volume yet.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={`Backups of ${volume.name}`}>
      <TableHead>
        <TableRow>
          <TableCell>Backup</TableCell>
          <TableCell>Method</TableCell>
          <TableCell>Phase</TableCell>
          <TableCell>Started</TableCell>
          <TableCell>Duration</TableCell>
          <TableCell>Size</TableCell>
          <TableCell>Expires</TableCell>
          <TableCell>Warnings and errors</TableCell>
          {canOfferRestore && (
            <TableCell>
              <Typography variant="srOnly">Actions</Typography>
            </TableCell>
          )}
        </TableRow>
      </TableHead>
      <TableBody>
        {newestFirst(volume.backups).map(backup => {
          const issueCounts = formatIssueCounts(backup);
          return (
            <TableRow key={backup.backupName}>
              <TableCell>
                <div>{backup.backupName}</div>
                {backup.scheduleName && (
                  <Typography variant="caption" color="textSecondary">
                    schedule {backup.scheduleName}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                {methodLabels[backup.method] ?? backup.method}
              </TableCell>
              <TableCell>
                <PhaseStatus phase={backup.phase} />
                {/* A volume can be copied while the Backup as a whole fails. */}
                {backup.backupPhase && backup.backupPhase !== backup.phase && (
                  <Typography variant="caption" component="div">
                    Backup: {backup.backupPhase}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                {backup.startedAt ? formatTimestamp(backup.startedAt) : '—'}
              </TableCell>
              <TableCell>
                <DurationAgainstLimit
                  seconds={backup.durationSeconds}
                  limitSeconds={serviceLevels.backupSeconds}
                  withinLimit={backup.withinServiceLevel}
                />
              </TableCell>
              <TableCell>{formatSize(backup)}</TableCell>
              <TableCell>
                {backup.expiresAt ? formatRelativeTime(backup.expiresAt) : '—'}
              </TableCell>
              <TableCell>
                {!issueCounts && !backup.message && '—'}
                {issueCounts && <div>{issueCounts}</div>}
                {backup.message && (
                  <Typography variant="caption" color="textSecondary">
                    {backup.message}
                  </Typography>
                )}
              </TableCell>
              {canOfferRestore && (
                <TableCell>
                  <RestoreButton volume={volume} backup={backup} />
                </TableCell>
              )}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
