import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { parseEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  MigrationStepName,
  VolumeMigration,
  formatBytes,
  formatDuration,
  migrationFailedToStart,
  openebsStorageMigratePermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { openebsStorageApiRef } from '../../api';
import { ServerErrorAlert } from '../ServerErrorAlert';
import { GitChangeButton } from './GitChangeButton';
import { RunbookButton } from './RunbookButton';
import { StepList } from '../InPlaceSteps';
import { formatTimestamp } from '../format';
import { useTableStyles } from '../tableStyles';

// Wide enough that a state or a proof line wraps between words only.
const useStyles = makeStyles({
  state: { minWidth: 160 },
  proof: { minWidth: 200 },
});

const STEP_LABELS: Record<MigrationStepName, string> = {
  'stop-workloads': 'Stop the workloads',
  copy: 'Copy and compare',
  'swap-claim': 'Bind the claim to the new volume',
  'start-workloads': 'Start the workloads',
  'swap-back': 'Bind the claim to the old volume',
  'verify-source': 'Check the old volume unchanged',
};

const STATE_WORDS: Record<VolumeMigration['state'], string> = {
  'in-progress': 'migrating',
  'awaiting-confirmation': 'on the new volume, old one kept',
  confirmed: 'confirmed',
  'rolling-back': 'rolling back',
  'rolled-back': 'rolled back',
  failed: 'failed',
};

/** Props of {@link MigrationsCard}. */
export interface MigrationsCardProps {
  migrations: VolumeMigration[];
  /** The entity whose migrations they are. */
  entityRef: string;
  /** The longest a workload may be stopped (AC-004-02's 5 minutes). */
  downtimeLimitSeconds: number;
  onDecided(migration: VolumeMigration): void;
}

/** `42 s` or `6 min (over the 5 min limit)`. */
function downtime(seconds: number, limitSeconds: number): string {
  return seconds > limitSeconds
    ? `${formatDuration(seconds)} (over the ${formatDuration(
        limitSeconds,
      )} limit)`
    : formatDuration(seconds);
}

function Proof(props: { migration: VolumeMigration; limitSeconds: number }) {
  const { manifest, downtimeSeconds, rollbackVerified } = props.migration;
  const { rollbackDowntimeSeconds } = props.migration;
  const { limitSeconds } = props;
  return (
    <>
      {manifest && (
        <Typography variant="body2">
          {manifest.files} files, {formatBytes(manifest.bytes)}: equal on both
          sides
        </Typography>
      )}
      {downtimeSeconds !== undefined && (
        <Typography variant="body2">
          Stopped for {downtime(downtimeSeconds, limitSeconds)}
        </Typography>
      )}
      {rollbackVerified && (
        <Typography variant="body2">
          Old volume unchanged; stopped for{' '}
          {downtime(rollbackDowntimeSeconds ?? 0, limitSeconds)} by the rollback
        </Typography>
      )}
    </>
  );
}

/** "Keep the new volume" and "Roll back", for those who may migrate. */
function Decision(props: {
  migration: VolumeMigration;
  entityRef: string;
  onDecided(migration: VolumeMigration): void;
}) {
  const { migration, entityRef, onDecided } = props;
  const rollbackOnly = migration.state !== 'awaiting-confirmation';
  const api = useApi(openebsStorageApiRef);
  const permission = usePermission({
    permission: openebsStorageMigratePermission,
    resourceRef: entityRef,
  });
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Error>();
  if (!permission.allowed) return null;
  const decide = async (decision: 'confirm' | 'rollback') => {
    setSending(true);
    setError(undefined);
    try {
      onDecided(
        await api.decideMigration(
          parseEntityRef(entityRef),
          migration.id,
          decision,
        ),
      );
    } catch (e) {
      setError(e as Error);
    }
    setSending(false);
  };
  return (
    <>
      <Box mt={0.5} display="flex" style={{ gap: 8 }}>
        {!rollbackOnly && (
          <Button
            size="small"
            variant="outlined"
            color="primary"
            disabled={sending}
            onClick={() => decide('confirm')}
          >
            Keep the new volume
          </Button>
        )}
        <Button
          size="small"
          variant="outlined"
          disabled={sending}
          onClick={() => decide('rollback')}
        >
          Roll back
        </Button>
      </Box>
      <ServerErrorAlert title="The decision was not recorded" error={error} />
    </>
  );
}

/**
 * The entity's volume migrations onto OpenEBS: each claim with its target,
 * where it stands, the steps the portal leads (or the rollback's), the
 * proof of the copy and the measured downtime, and the decision a
 * migration awaits once the workload runs on the new volume.
 */
export function MigrationsCard(props: MigrationsCardProps) {
  const { migrations, entityRef, downtimeLimitSeconds, onDecided } = props;
  const classes = useTableStyles();
  const styles = useStyles();
  return (
    <InfoCard title="Migrations to OpenEBS">
      <Table size="small" aria-label="Migrations">
        <TableHead>
          <TableRow>
            <TableCell>Claim</TableCell>
            <TableCell>From → to</TableCell>
            <TableCell>State</TableCell>
            <TableCell>Steps</TableCell>
            <TableCell>
              Proof (downtime limit {formatDuration(downtimeLimitSeconds)})
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {migrations.map(m => (
            <TableRow key={m.id}>
              <TableCell className={classes.nowrap}>
                {m.namespace}/{m.claim}
                <Typography
                  variant="caption"
                  component="div"
                  color="textSecondary"
                >
                  {m.requestedBy}, {formatTimestamp(m.requestedAt)}
                </Typography>
              </TableCell>
              <TableCell className={classes.nowrap}>
                {m.source.storageClass} → {m.targetClass}
              </TableCell>
              <TableCell className={styles.state}>
                {STATE_WORDS[m.state]}
                {m.failureReason && (
                  <Typography variant="caption" component="div" color="error">
                    {m.failureReason}
                  </Typography>
                )}
                {(m.state === 'awaiting-confirmation' ||
                  migrationFailedToStart(m)) && (
                  <Decision
                    migration={m}
                    entityRef={entityRef}
                    onDecided={onDecided}
                  />
                )}
              </TableCell>
              <TableCell>
                <StepList
                  steps={m.rollbackSteps ?? m.steps}
                  labels={STEP_LABELS}
                  aria-label={`Steps of the ${
                    m.rollbackSteps ? 'rollback' : 'migration'
                  } of ${m.claim}`}
                />
              </TableCell>
              <TableCell className={styles.proof}>
                <Proof migration={m} limitSeconds={downtimeLimitSeconds} />
                <RunbookButton migration={m} entityRef={entityRef} />
                <GitChangeButton migration={m} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
}
