import { ComponentType, PropsWithChildren } from 'react';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import {
  RestoreRequest,
  RestoreState,
  ServiceLevels,
  openebsStorageReadPermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { DurationAgainstLimit } from '../DurationAgainstLimit';
import { isNotAllowed } from '../errors';
import {
  formatBytes,
  formatDuration,
  formatIssueCounts,
  formatRelativeTime,
  formatTimestamp,
} from '../format';
import { useTableStyles } from '../tableStyles';
import { StatusText } from '../StatusText';
import { ApprovalButtons } from './ApprovalButtons';
import { CancelRestoreButton } from './CancelRestoreButton';
import { InPlaceSteps } from '../InPlaceSteps';

const states: Record<
  RestoreState,
  { label: string; Icon: ComponentType<PropsWithChildren<{}>> }
> = {
  'in-progress': { label: 'In progress', Icon: StatusRunning },
  completed: { label: 'Completed', Icon: StatusOK },
  'partially-failed': { label: 'Partially failed', Icon: StatusWarning },
  failed: { label: 'Failed', Icon: StatusError },
  cancelled: { label: 'Cancelled', Icon: StatusAborted },
  'awaiting-approval': { label: 'Awaiting approval', Icon: StatusPending },
  rejected: { label: 'Rejected', Icon: StatusAborted },
};

const modeLabels: Record<RestoreRequest['mode'], string> = {
  'new-namespace': 'New namespace',
  'in-place': 'In place',
};

/** `jane.doe` for `user:default/jane.doe`; the ref itself if unparsable. */
function formatRequester(ref: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'user' });
  } catch {
    return ref;
  }
}

/** Bytes done and to do, summed over the volumes that report them. */
function bytesProgress(request: RestoreRequest) {
  let done = 0;
  let total = 0;
  for (const volume of request.volumeProgress) {
    done += volume.bytesDone ?? 0;
    total += volume.totalBytes ?? 0;
  }
  return { done, total };
}

function StateCell(props: {
  request: RestoreRequest;
  now: Date;
  /** Offers to cancel a restore in progress (to platform admins). */
  cancel?: { entityRef: string; onCancelled(request: RestoreRequest): void };
  /** Offers to decide a restore awaiting approval (to platform admins). */
  decide?: { entityRef: string; onDecided(request: RestoreRequest): void };
}) {
  const { request, now, cancel, decide } = props;
  const { queuedBehind } = request;
  const { label, Icon } = states[request.state] ?? {
    label: request.state,
    Icon: StatusWarning,
  };
  const { done, total } = bytesProgress(request);
  return (
    <>
      <StatusText icon={Icon} nowrap>
        {label}
      </StatusText>
      {request.state === 'cancelled' && request.cancelledBy && (
        <Typography variant="caption" component="div">
          by {formatRequester(request.cancelledBy)}
        </Typography>
      )}
      {request.approval && (
        <Typography variant="caption" component="div">
          {request.approval.decision} by{' '}
          {formatRequester(request.approval.decidedBy)}
          {request.approval.reason && `: ${request.approval.reason}`}
        </Typography>
      )}
      {request.state === 'awaiting-approval' && (
        <Typography variant="caption" component="div" color="textSecondary">
          Nothing changes until a platform admin approves it.
        </Typography>
      )}
      {request.state === 'awaiting-approval' && decide && (
        <ApprovalButtons
          request={request}
          entityRef={decide.entityRef}
          onDecided={decide.onDecided}
        />
      )}
      {/* Velero's own word for it, for whoever looks at the Restore. */}
      <Typography variant="caption" component="div" color="textSecondary">
        Velero: {request.phase ?? '—'}
      </Typography>
      {/* Not started: Velero runs one restore at a time (docs/lab.md). */}
      {queuedBehind && (
        <Typography variant="caption" component="div" color="textSecondary">
          Queued behind {queuedBehind.restoreName}: Velero runs one restore at a
          time
          {queuedBehind.startedAt
            ? `, and started that one ${formatRelativeTime(
                queuedBehind.startedAt,
                now,
              )}`
            : ''}
          .
        </Typography>
      )}
      {request.state === 'in-progress' && (
        <Box mt={0.5} minWidth={120}>
          {total > 0 ? (
            <>
              <LinearProgress
                variant="determinate"
                value={Math.min(100, (done / total) * 100)}
                aria-label={`Data restored by ${request.restoreName}`}
              />
              <Typography variant="caption">
                {formatBytes(done)} of {formatBytes(total)}
              </Typography>
            </>
          ) : (
            <>
              <LinearProgress
                aria-label={`Data restored by ${request.restoreName}`}
              />
              <Typography variant="caption">waiting for data</Typography>
            </>
          )}
        </Box>
      )}
      {request.inPlace && <InPlaceSteps inPlace={request.inPlace} />}
      {/* In place, the portal's steps change the workload: not stopped halfway. */}
      {request.state === 'in-progress' && cancel && !request.inPlace && (
        <CancelRestoreButton
          request={request}
          entityRef={cancel.entityRef}
          onCancelled={cancel.onCancelled}
        />
      )}
    </>
  );
}

function DurationCell(props: {
  request: RestoreRequest;
  limitSeconds: number;
  now: Date;
}) {
  const { request, limitSeconds, now } = props;
  if (request.durationSeconds !== undefined) {
    return (
      <DurationAgainstLimit
        seconds={request.durationSeconds}
        limitSeconds={limitSeconds}
        withinLimit={request.withinServiceLevel}
      />
    );
  }
  // Still running: how long so far, already flagged once over the limit.
  const since = request.startedAt ?? request.requestedAt;
  if (request.state === 'in-progress' && since) {
    const elapsed = (now.getTime() - Date.parse(since)) / 1000;
    if (!Number.isNaN(elapsed)) {
      return (
        <>
          <DurationAgainstLimit seconds={elapsed} limitSeconds={limitSeconds} />{' '}
          so far
        </>
      );
    }
  }
  return <>—</>;
}

/**
 * Where the data came back: the namespace, and for each volume the node it
 * landed on. Velero drops the node selection of restored claims, so a local
 * volume may come back on another node than it was backed up from.
 */
function RestoredIntoCell(props: { request: RestoreRequest }) {
  const { request } = props;
  const placed = request.volumeProgress.filter(volume => volume.node);
  return (
    <>
      <div>{request.targetNamespace}</div>
      {placed.map(volume => (
        <Typography
          key={volume.claimName}
          variant="caption"
          component="div"
          color="textSecondary"
        >
          {volume.claimName} on{' '}
          <Tooltip title="The restored data of this local volume lives on this node">
            <strong>{volume.node}</strong>
          </Tooltip>
        </Typography>
      ))}
    </>
  );
}

function DetailsCell(props: { request: RestoreRequest }) {
  const { request } = props;
  const issueCounts = formatIssueCounts(request);
  const volumeMessages = request.volumeProgress.filter(
    volume => volume.message,
  );
  if (
    !request.failureReason &&
    !issueCounts &&
    volumeMessages.length === 0 &&
    !request.logState
  ) {
    return <>—</>;
  }
  return (
    <>
      {request.failureReason && <div>{request.failureReason}</div>}
      {issueCounts && <div>{issueCounts}</div>}
      {volumeMessages.map(volume => (
        <Typography
          key={volume.claimName}
          variant="caption"
          component="div"
          color="textSecondary"
        >
          {volume.claimName} ({volume.phase}): {volume.message}
        </Typography>
      ))}
      <VeleroLog request={request} />
    </>
  );
}

/** The end of Velero's restore log, which the backend fetches on failure. */
function VeleroLog(props: { request: RestoreRequest }) {
  const { logState, logExcerpt } = props.request;
  if (logState === 'requested') {
    return (
      <Typography variant="caption" component="div" color="textSecondary">
        Fetching the Velero restore log…
      </Typography>
    );
  }
  if (logState === 'unavailable') {
    return (
      <Typography variant="caption" component="div" color="textSecondary">
        Velero restore log unavailable: {logExcerpt}
      </Typography>
    );
  }
  if (logState !== 'fetched' || !logExcerpt) return null;
  return (
    <details>
      <summary>Velero restore log (last lines)</summary>
      <Box
        component="pre"
        fontSize="0.75rem"
        maxHeight={240}
        overflow="auto"
        whiteSpace="pre-wrap"
      >
        {logExcerpt}
      </Box>
    </details>
  );
}

/** Props of {@link RestoreRequestsTable}. */
export interface RestoreRequestsTableProps {
  /** `undefined` until the first load. */
  restores?: RestoreRequest[];
  loading: boolean;
  error?: Error;
  serviceLevels: ServiceLevels;
  /** The entity, for the message when the list may not be read. */
  entityRef: string;
  /**
   * Called once a restore was cancelled. Given, restores in progress get a
   * "Cancel" action for the users with `openebs.storage.restore.admin`.
   */
  onCancelled?(request: RestoreRequest): void;
  /**
   * Called once an in-place restore awaiting approval was decided. Given,
   * such restores get "Approve" and "Reject…" for the users with
   * `openebs.storage.restore.inplace` on the entity.
   */
  onDecided?(request: RestoreRequest): void;
}

/**
 * The restores requested for the entity, newest first: who asked for what,
 * how far it got (or who cancelled it), how long it took against the
 * restore service level, and where the data came back.
 */
export function RestoreRequestsTable(props: RestoreRequestsTableProps) {
  const {
    restores,
    loading,
    error,
    serviceLevels,
    entityRef,
    onCancelled,
    onDecided,
  } = props;
  const cancel = onCancelled && { entityRef, onCancelled };
  const decide = onDecided && { entityRef, onDecided };
  const limit = serviceLevels.restoreSeconds;
  const now = new Date();
  const classes = useTableStyles();

  let content;
  if (loading && !restores) {
    content = <Progress />;
  } else if (error && isNotAllowed(error)) {
    content = (
      <EmptyState
        missing="info"
        title="You may not see the restores of this entity"
        description={`Listing restores needs the ${openebsStorageReadPermission.name} permission for ${entityRef}.`}
      />
    );
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!restores || restores.length === 0) {
    content = (
      <Typography variant="body2">
        No restores requested for this entity yet. Use Restore… on a backup.
      </Typography>
    );
  } else {
    content = (
      <Box className={classes.scroller}>
        <Table size="small" aria-label="Restores" className={classes.table}>
          <TableHead>
            <TableRow>
              <TableCell>Requested</TableCell>
              <TableCell>By</TableCell>
              <TableCell>Backup</TableCell>
              <TableCell>Volumes</TableCell>
              <TableCell>Mode</TableCell>
              <TableCell>Restored into</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Duration (limit {formatDuration(limit)})</TableCell>
              <TableCell className={classes.message}>Details</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {restores.map(request => (
              <TableRow key={request.id}>
                <TableCell className={classes.nowrap}>
                  <div>{formatTimestamp(request.requestedAt)}</div>
                  <Typography variant="caption" color="textSecondary">
                    {formatRelativeTime(request.requestedAt, now)}
                  </Typography>
                </TableCell>
                <TableCell className={classes.nowrap}>
                  {formatRequester(request.requestedBy)}
                </TableCell>
                <TableCell className={classes.nowrap}>
                  <div>{request.backupName}</div>
                  <Typography
                    variant="caption"
                    component="div"
                    color="textSecondary"
                  >
                    cluster {request.cluster}
                  </Typography>
                  <Typography
                    variant="caption"
                    component="div"
                    color="textSecondary"
                  >
                    restore {request.restoreName}
                  </Typography>
                </TableCell>
                <TableCell className={classes.nowrap}>
                  {request.volumes.join(', ')}
                </TableCell>
                <TableCell>
                  {modeLabels[request.mode] ?? request.mode}
                </TableCell>
                <TableCell className={classes.nowrap}>
                  <RestoredIntoCell request={request} />
                </TableCell>
                <TableCell className={classes.nowrap}>
                  <StateCell
                    request={request}
                    now={now}
                    cancel={cancel}
                    decide={decide}
                  />
                </TableCell>
                <TableCell className={classes.nowrap}>
                  <DurationCell
                    request={request}
                    limitSeconds={limit}
                    now={now}
                  />
                </TableCell>
                <TableCell className={classes.message}>
                  <DetailsCell request={request} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    );
  }

  return (
    <InfoCard
      title="Restores"
      subheader={`Requested from the backups above, newest first; each should complete within ${formatDuration(
        limit,
      )}`}
    >
      {content}
    </InfoCard>
  );
}
