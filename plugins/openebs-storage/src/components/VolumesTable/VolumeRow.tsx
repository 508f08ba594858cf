import { useState } from 'react';
import Collapse from '@material-ui/core/Collapse';
import IconButton from '@material-ui/core/IconButton';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import {
  ScheduleSummary,
  ServiceLevels,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { DurationAgainstLimit } from '../DurationAgainstLimit';
import { HealthChip } from '../HealthChip';
import { PhaseStatus } from '../PhaseStatus';
import { VolumeDetails } from '../VolumeDetails';
import { formatEngine, formatRelativeTime, isLocalEngine } from '../format';

/** How many columns a volume row has, for the details row to span. */
export const VOLUME_COLUMN_COUNT = 12;

const useStyles = makeStyles({
  // The summary row and its details read as one item: no line between them.
  summaryRow: { '& > *': { borderBottom: 'unset' } },
  detailsCell: { paddingTop: 0, paddingBottom: 0 },
});

/** Props of {@link VolumeRow}. */
export interface VolumeRowProps {
  volume: VolumeStatus;
  /** All Velero schedules of the volume's cluster. */
  clusterSchedules: ScheduleSummary[];
  serviceLevels: ServiceLevels;
}

function NodeCell(props: { volume: VolumeStatus }) {
  const { engine, node } = props.volume;
  if (!node) {
    return <>—</>;
  }
  if (!isLocalEngine(engine)) {
    return <>{node}</>;
  }
  // A local volume is as durable as its node: make the node stand out.
  return (
    <Tooltip title="The data of this local volume lives on this node only">
      <strong>{node}</strong>
    </Tooltip>
  );
}

/** One volume of the table, expandable into its {@link VolumeDetails}. */
export function VolumeRow(props: VolumeRowProps) {
  const { volume, clusterSchedules, serviceLevels } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const lastGood = volume.lastGoodBackup;
  const lastGoodAt = lastGood?.completedAt ?? lastGood?.startedAt;

  return (
    <>
      <TableRow className={classes.summaryRow}>
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            aria-label={`Details of ${volume.namespace}/${volume.name} in ${volume.cluster}`}
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            {open ? <KeyboardArrowDownIcon /> : <KeyboardArrowRightIcon />}
          </IconButton>
        </TableCell>
        <TableCell>{volume.cluster}</TableCell>
        <TableCell>{volume.namespace}</TableCell>
        <TableCell>{volume.name}</TableCell>
        <TableCell>{volume.storageClass ?? '—'}</TableCell>
        <TableCell>{formatEngine(volume.engine)}</TableCell>
        <TableCell>
          <NodeCell volume={volume} />
        </TableCell>
        <TableCell>
          {volume.requested ?? '—'} / {volume.provisioned ?? '—'}
        </TableCell>
        <TableCell>
          <PhaseStatus phase={volume.phase} />
        </TableCell>
        <TableCell>
          <DurationAgainstLimit
            seconds={volume.provisioningSeconds}
            limitSeconds={serviceLevels.provisioningSeconds}
            withinLimit={volume.provisioningWithinServiceLevel}
          />
        </TableCell>
        <TableCell>
          <HealthChip health={volume.health} showReason />
        </TableCell>
        <TableCell>
          {lastGoodAt ? (
            <>
              <div>{formatRelativeTime(lastGoodAt)}</div>
              <Typography variant="caption" color="textSecondary">
                {lastGood?.backupName}
              </Typography>
            </>
          ) : (
            'never'
          )}
        </TableCell>
      </TableRow>
      <TableRow>
        <TableCell
          className={classes.detailsCell}
          colSpan={VOLUME_COLUMN_COUNT}
        >
          <Collapse in={open} timeout="auto" unmountOnExit>
            <VolumeDetails
              volume={volume}
              clusterSchedules={clusterSchedules}
              serviceLevels={serviceLevels}
            />
          </Collapse>
        </TableCell>
      </TableRow>
    </>
  );
}
