import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { StatusError } from '@backstage/core-components';
import {
  formatDuration,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { formatAgeSince, formatTimestamp } from '../format';

/**
 * How old the newest good copy is, against the schedule that protects the
 * volume: "2 h ago", under it "every 1 d (daily)", or "due 2026-12-02 02:00
 * UTC" in the error colour when that run has not produced a newer copy.
 */
export function RecoveryPointCell(props: { volume: VolumeStatus }) {
  const { lastGoodBackup, recoveryPoint } = props.volume;
  // The moment the data was read, as the health reason counts it.
  const at =
    recoveryPoint?.at ??
    lastGoodBackup?.startedAt ??
    lastGoodBackup?.completedAt;
  const cadence =
    recoveryPoint?.intervalSeconds &&
    `every ${formatDuration(recoveryPoint.intervalSeconds)} (${
      recoveryPoint.schedule
    })`;
  return (
    <>
      {at ? (
        // The backup's name is in the reason and the details; here it only
        // hovers, to keep the table narrow.
        <Tooltip title={`Backup ${lastGoodBackup?.backupName}`}>
          <span>{formatAgeSince(at)}</span>
        </Tooltip>
      ) : (
        'never'
      )}
      {recoveryPoint?.overdue && recoveryPoint.dueAt ? (
        <Typography variant="caption" component="div">
          <StatusError>
            overdue: {recoveryPoint.schedule} was due{' '}
            {formatTimestamp(recoveryPoint.dueAt)}
          </StatusError>
        </Typography>
      ) : (
        cadence && (
          <Typography variant="caption" component="div" color="textSecondary">
            {cadence}
          </Typography>
        )
      )}
    </>
  );
}
