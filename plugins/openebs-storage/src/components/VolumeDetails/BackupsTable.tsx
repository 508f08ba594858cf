import { useContext } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ServiceLevels,
  VolumeBackup,
  VolumeStatus,
  openebsStorageRestoreCreatePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { DurationAgainstLimit } from '../DurationAgainstLimit';
import { PhaseStatus } from '../PhaseStatus';
import {
  RestoreActions,
  RestoreButton,
  RestoreContext,
} from '../RestoreDialog';
import { createPermissionProblem } from '../RestoreDialog/restoreRules';
import {
  formatBytes,
  formatIssueCounts,
  formatRelativeTime,
  formatTimestamp,
} from '../format';
import { useTableStyles } from '../tableStyles';

// Non-breaking spaces keep "File system" and "data mover" whole when the
// column is narrow.
const methodLabels: Record<VolumeBackup['method'], string> = {
  'fs-backup': 'File\u00a0system (Kopia)',
  'data-mover': 'CSI snapshot data\u00a0mover',
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

/**
 * Said once above the backups, in full, when the user may not request
 * restores of the entity at all (each disabled "Restore…" only says
 * "permission missing").
 */
function RestorePermissionNote(props: { actions: RestoreActions }) {
  const entityRef = stringifyEntityRef(props.actions.entityRef);
  const permission = usePermission({
    permission: openebsStorageRestoreCreatePermission,
    resourceRef: entityRef,
  });
  if (permission.loading || permission.allowed) {
    return null;
  }
  return (
    <Typography variant="body2" color="textSecondary" gutterBottom>
      You cannot restore these backups: {createPermissionProblem(entityRef)}
    </Typography>
  );
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
  const restoreActions = useContext(RestoreContext);
  const canOfferRestore = Boolean(restoreActions);
  const classes = useTableStyles();
  if (volume.backups.length === 0) {
    return (
      <Typography variant="body2">
        No backup has copied this volume yet.
      </Typography>
    );
  }
  return (
    <>
      {restoreActions && <RestorePermissionNote actions={restoreActions} />}
      <Table
        size="small"
        aria-label={`Backups of ${volume.name}`}
        className={classes.table}
      >
        <TableHead>
          <TableRow>
            <TableCell>Backup</TableCell>
            <TableCell>Method</TableCell>
            <TableCell>Phase</TableCell>
            <TableCell>Started</TableCell>
            <TableCell>Duration</TableCell>
            <TableCell>Size</TableCell>
            <TableCell>Expires</TableCell>
            <TableCell className={classes.prose}>Warnings and errors</TableCell>
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
                <TableCell className={classes.nowrap}>
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
                <TableCell className={classes.nowrap}>
                  <PhaseStatus phase={backup.phase} />
                  {/* A volume can be copied while the Backup as a whole fails. */}
                  {backup.backupPhase &&
                    backup.backupPhase !== backup.phase && (
                      <Typography variant="caption" component="div">
                        Backup: {backup.backupPhase}
                      </Typography>
                    )}
                </TableCell>
                <TableCell className={classes.nowrap}>
                  {backup.startedAt ? formatTimestamp(backup.startedAt) : '—'}
                </TableCell>
                <TableCell>
                  <DurationAgainstLimit
                    seconds={backup.durationSeconds}
                    limitSeconds={serviceLevels.backupSeconds}
                    withinLimit={backup.withinServiceLevel}
                  />
                </TableCell>
                <TableCell className={classes.nowrap}>
                  {formatSize(backup)}
                </TableCell>
                <TableCell className={classes.nowrap}>
                  {backup.expiresAt
                    ? formatRelativeTime(backup.expiresAt)
                    : '—'}
                </TableCell>
                <TableCell className={classes.prose}>
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
    </>
  );
}
