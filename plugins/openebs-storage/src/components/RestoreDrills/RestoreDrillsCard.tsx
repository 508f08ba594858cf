import {
  ComponentType,
  PropsWithChildren,
  Suspense,
  lazy,
  useState,
} from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import { alertApiRef, useApi } from '@backstage/frontend-plugin-api';
import {
  DEFAULT_SERVICE_LEVELS,
  DrillEnrolmentRequest,
  DrillState,
  RestoreDrill,
  RestoreRequest,
  openebsStorageRestoreCreatePermission,
  formatBytes,
  formatDuration,
} from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../../api';
import { useEntityDrills } from '../../hooks/useEntityDrills';
import { StatusText } from '../StatusText';
import { formatTimestamp } from '../format';
import { useTableStyles } from '../tableStyles';
import { EnrolmentSelect } from './EnrolmentSelect';
import { recoveryTimes } from './recoveryTimes';
import {
  drillBytes,
  enrolmentText,
  evidenceText,
  lastProofText,
  startedByText,
} from './drillText';

const states: Record<
  DrillState,
  { label: string; Icon: ComponentType<PropsWithChildren<{}>> }
> = {
  queued: { label: 'Queued', Icon: StatusPending },
  restoring: { label: 'Restoring', Icon: StatusRunning },
  starting: { label: 'Pods starting', Icon: StatusRunning },
  passed: { label: 'Passed', Icon: StatusOK },
  failed: { label: 'Failed', Icon: StatusError },
  yielded: { label: 'Stood down', Icon: StatusAborted },
};

/** The verification's own words, folded: the reason already has its last line. */
function VerificationOutput(props: { drill: RestoreDrill }) {
  const { verification } = props.drill;
  return (
    <details>
      <summary>Output of the verification</summary>
      <Typography variant="caption" color="textSecondary" component="div">
        {verification?.command}
      </Typography>
      <Typography
        variant="caption"
        component="pre"
        style={{ whiteSpace: 'pre-wrap', maxHeight: 240, overflow: 'auto' }}
      >
        {verification?.output}
      </Typography>
    </details>
  );
}

// The chart library loads with the first chart, not with the tab.
const RecoveryTimeChart = lazy(() => import('./RecoveryTimeChart'));

/** Drills shown in the table; the export holds them all. */
const SHOWN = 10;

/** Saves JSON as a file, as a download link would (the API needs a token). */
function download(fileName: string, body: unknown) {
  const url = URL.createObjectURL(
    new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * Restore drills on the Storage tab: when the entity's backup was last
 * proven to come back (recovery time, bytes), the recent drills with their
 * outcome, whether the sealed evidence is intact, and actions to run a
 * drill now and export the evidence.
 */
export function RestoreDrillsCard(props: {
  entity: Entity;
  /** The restore service level the recovery times are drawn against. */
  restoreSeconds?: number;
  /** Users' restores of the entity, charted beside the drills. */
  restores?: RestoreRequest[];
}) {
  const { entity, restoreSeconds = DEFAULT_SERVICE_LEVELS.restoreSeconds } =
    props;
  const api = useApi(openebsStorageApiRef);
  const alertApi = useApi(alertApiRef);
  const classes = useTableStyles();
  const entityRef = getCompoundEntityRef(entity);
  const { value, loading, error, retry, active } = useEntityDrills(entity);
  const [busy, setBusy] = useState(false);
  // A drill is a restore (into a scratch namespace): the same permission.
  const mayRun = usePermission({
    permission: openebsStorageRestoreCreatePermission,
    resourceRef: stringifyEntityRef(entity),
  }).allowed;

  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (e) {
      alertApi.post({
        message: String((e as Error).message),
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };
  const runNow = () =>
    act(async () => {
      const drill = await api.runDrill(entityRef);
      retry();
      alertApi.post({
        message: `Restore drill ${drill.state}: it restores into ${drill.scratchNamespace} and deletes it afterwards.`,
        severity: 'success',
        display: 'transient',
      });
    });
  const enrol = (request: DrillEnrolmentRequest) =>
    act(async () => {
      await api.setDrillEnrolment(entityRef, request);
      retry();
    });
  const exportEvidence = () =>
    act(async () => {
      download(
        `restore-drills-${entityRef.namespace}-${entityRef.name}.json`,
        await api.exportDrillEvidence(entityRef),
      );
    });

  // Two points make a trend; one is in the table already.
  const recoveries = value ? recoveryTimes(value.drills, props.restores) : [];
  let body;
  if (loading && !value) {
    body = <Progress />;
  } else if (error && !value) {
    body = <ResponseErrorPanel error={error} />;
  } else if (value) {
    body = (
      <>
        <Typography variant="body1" gutterBottom>
          {lastProofText(value)}
        </Typography>
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {enrolmentText(value)}{' '}
          <StatusText icon={value.evidence.intact ? StatusOK : StatusError}>
            {evidenceText(value.evidence)}
          </StatusText>
        </Typography>
        {recoveries.length > 1 && (
          <Suspense fallback={<Progress />}>
            <RecoveryTimeChart
              points={recoveries}
              restoreSeconds={restoreSeconds}
            />
          </Suspense>
        )}
        {value.drills.length > 0 && (
          <Table size="small" aria-label="Restore drills">
            <TableHead>
              <TableRow>
                <TableCell>Queued</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Backup</TableCell>
                <TableCell>Recovery time</TableCell>
                <TableCell>Restored</TableCell>
                <TableCell>Started by</TableCell>
                <TableCell>Detail</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {value.drills.slice(0, SHOWN).map(drill => {
                const { label, Icon } = states[drill.state];
                const bytes = drillBytes(drill);
                return (
                  <TableRow key={drill.id}>
                    <TableCell className={classes.nowrap}>
                      {formatTimestamp(drill.queuedAt)}
                    </TableCell>
                    <TableCell>
                      <StatusText icon={Icon} nowrap>
                        {label}
                      </StatusText>
                    </TableCell>
                    <TableCell>{drill.backupName ?? '—'}</TableCell>
                    <TableCell>
                      {drill.recoverySeconds !== undefined
                        ? formatDuration(drill.recoverySeconds)
                        : '—'}
                    </TableCell>
                    <TableCell>
                      {bytes !== undefined ? formatBytes(bytes) : '—'}
                    </TableCell>
                    <TableCell>{startedByText(drill.startedBy)}</TableCell>
                    <TableCell>
                      {drill.reason ?? ''}
                      {drill.verification?.output && (
                        <VerificationOutput drill={drill} />
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </>
    );
  }

  return (
    <InfoCard title="Restore drills">
      {body}
      <Box mt={2} display="flex" gridGap={8}>
        <Button
          variant="outlined"
          size="small"
          onClick={runNow}
          disabled={busy || active || !mayRun}
          title={
            mayRun
              ? undefined
              : `Running a drill needs ${openebsStorageRestoreCreatePermission.name} on this entity`
          }
        >
          {active ? 'Drill running' : 'Run a drill now'}
        </Button>
        {value && (
          <EnrolmentSelect
            drills={value}
            disabled={busy || !mayRun}
            onChange={enrol}
          />
        )}
        <Button
          size="small"
          onClick={exportEvidence}
          disabled={busy || !value || value.evidence.records === 0}
        >
          Export evidence (JSON)
        </Button>
      </Box>
    </InfoCard>
  );
}
