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
import { StatusError, StatusWarning } from '@backstage/core-components';
import {
  NodeHealth,
  ScheduleSummary,
  ServiceLevels,
  StorageAlert,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { DurationAgainstLimit } from '../DurationAgainstLimit';
import { HealthChip } from '../HealthChip';
import { PhaseStatus } from '../PhaseStatus';
import { StatusText } from '../StatusText';
import { OWNER_NOT_RECORDED } from '../RestoreDialog/restoreRules';
import { VolumeDetails } from '../VolumeDetails';
import { MigrateButton } from '../Migrations';
import { RecoveryPointCell } from './RecoveryPointCell';
import {
  formatAgeSince,
  formatEngine,
  isDeletedVolume,
  isLocalEngine,
  formatTimestamp,
} from '../format';
import { useTableStyles } from '../tableStyles';

/** How many columns a volume row has, for the details row to span. */
export const VOLUME_COLUMN_COUNT = 11;

const useStyles = makeStyles(theme => ({
  // The summary row and its details read as one item: no line between them.
  summaryRow: { '& > *': { borderBottom: 'unset' } },
  // A deleted claim is history: set apart from the live volumes.
  deletedRow: { '& > *': { color: theme.palette.text.secondary } },
  detailsCell: { paddingTop: 0, paddingBottom: 0 },
  wrap: { whiteSpace: 'normal' },
  // Under the namespace: wraps, but not a word per line.
  ownerNote: { display: 'block', minWidth: 140, whiteSpace: 'normal' },
}));

/** Props of {@link VolumeRow}. */
export interface VolumeRowProps {
  volume: VolumeStatus;
  /** All Velero schedules of the volume's cluster. */
  clusterSchedules: ScheduleSummary[];
  serviceLevels: ServiceLevels;
  /** Firing alerts about the volume or its backups' storage location. */
  alerts?: StorageAlert[];
}

/** Under the node's name when it is not alive: the data cannot be reached. */
function NodeState(props: { health: NodeHealth }) {
  const { state, since } = props.health;
  const text =
    state === 'missing'
      ? 'node gone'
      : `NotReady${since ? ` (changed ${formatAgeSince(since)})` : ''}`;
  return (
    <Typography variant="body2" component="span" display="block">
      <StatusText icon={StatusError} nowrap>
        {text}
      </StatusText>
    </Typography>
  );
}

function NodeCell(props: { volume: VolumeStatus }) {
  const { engine, node, nodeHealth } = props.volume;
  if (!node) {
    return <>—</>;
  }
  const state =
    nodeHealth && nodeHealth.state !== 'ready' ? (
      <NodeState health={nodeHealth} />
    ) : null;
  if (!isLocalEngine(engine)) {
    return (
      <>
        {node}
        {state}
      </>
    );
  }
  // A local volume is as durable as its node: make the node stand out.
  return (
    <>
      <Tooltip title="The data of this local volume lives on this node only">
        <strong>{node}</strong>
      </Tooltip>
      {state}
    </>
  );
}

/**
 * The phase; for a deleted claim, whether a backup can bring it back (the
 * backend lists deleted claims only when backups of them remain).
 */
function PhaseCell(props: { volume: VolumeStatus }) {
  const { volume } = props;
  const classes = useStyles();
  if (!isDeletedVolume(volume)) {
    return <PhaseStatus phase={volume.phase} />;
  }
  return (
    <>
      <PhaseStatus phase="Deleted" />
      <Typography
        variant="caption"
        component="div"
        color="textSecondary"
        className={classes.wrap}
      >
        {volume.lastGoodBackup
          ? 'restorable from backup'
          : 'no good backup left'}
      </Typography>
    </>
  );
}

/** One volume of the table, expandable into its {@link VolumeDetails}. */
export function VolumeRow(props: VolumeRowProps) {
  const { volume, clusterSchedules, serviceLevels } = props;
  const classes = useStyles();
  const cells = useTableStyles();
  const [open, setOpen] = useState(false);
  const deleted = isDeletedVolume(volume);

  return (
    <>
      <TableRow
        className={`${classes.summaryRow} ${deleted ? classes.deletedRow : ''}`}
      >
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
        <TableCell className={cells.nowrap}>{volume.cluster}</TableCell>
        <TableCell className={cells.nowrap}>
          <div>{volume.namespace}</div>
          {/* The backend lets only platform admins restore such volumes. */}
          {volume.namespaceOwner === undefined && (
            <Typography
              variant="caption"
              color="textSecondary"
              className={classes.ownerNote}
            >
              {OWNER_NOT_RECORDED}
            </Typography>
          )}
        </TableCell>
        <TableCell className={cells.nowrap}>{volume.name}</TableCell>
        <TableCell>
          {/* The class as named in the cluster, the engine as people say it. */}
          <div className={cells.nowrap}>{volume.storageClass ?? '—'}</div>
          <Typography variant="caption" color="textSecondary">
            {formatEngine(volume.engine)}
          </Typography>
          <MigrateButton volume={volume} />
        </TableCell>
        <TableCell className={cells.nowrap}>
          <NodeCell volume={volume} />
        </TableCell>
        <TableCell className={cells.nowrap}>
          {/* A deleted claim has no capacity, only backups. */}
          {deleted || (!volume.requested && !volume.provisioned)
            ? '—'
            : `${volume.requested ?? '—'} / ${volume.provisioned ?? '—'}`}
        </TableCell>
        <TableCell className={cells.nowrap}>
          <PhaseCell volume={volume} />
        </TableCell>
        <TableCell>
          <DurationAgainstLimit
            seconds={volume.provisioningSeconds}
            limitSeconds={serviceLevels.provisioningSeconds}
            withinLimit={volume.provisioningWithinServiceLevel}
          />
        </TableCell>
        <TableCell className={cells.prose}>
          <HealthChip health={volume.health} showReason />
          {props.alerts?.map(alert => (
            <Typography
              key={`${alert.name}-${alert.since}`}
              variant="body2"
              component="div"
            >
              <StatusText icon={StatusWarning}>
                {alert.summary} since {formatTimestamp(alert.since)}
              </StatusText>
            </Typography>
          ))}
        </TableCell>
        <TableCell className={cells.nowrap}>
          <RecoveryPointCell volume={volume} />
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
