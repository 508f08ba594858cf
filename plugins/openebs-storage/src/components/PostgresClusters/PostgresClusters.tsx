import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import {
  ClusterStorage,
  PostgresArchiveStatus,
  PostgresClusterStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { StatusText } from '../StatusText';
import { formatRelativeTime, formatTimestamp } from '../format';
import { useTableStyles } from '../tableStyles';
import { MigrationPlanButton } from './MigrationPlanButton';
import { RecordPrimaryButton } from './RecordPrimaryButton';

/** Props of {@link PostgresClusters}. */
export interface PostgresClustersProps {
  clusters: ClusterStorage[];
  entityRef: string;
}

/** A time with how long ago, or a dash. */
function When(props: { at?: string }) {
  if (!props.at) return <>—</>;
  return (
    <>
      {formatTimestamp(props.at)}
      <Typography variant="caption" color="textSecondary" component="div">
        {formatRelativeTime(props.at)}
      </Typography>
    </>
  );
}

function Instances(props: { database: PostgresClusterStatus }) {
  const { instances, readyInstances, phase, phaseReason } = props.database;
  const healthy = readyInstances >= instances && instances > 0;
  return (
    <>
      <StatusText icon={healthy ? StatusOK : StatusWarning} nowrap>
        {readyInstances}/{instances} ready
      </StatusText>
      {phase && (
        <Typography variant="caption" color="textSecondary" component="div">
          {phase}
          {phaseReason && `: ${phaseReason}`}
        </Typography>
      )}
    </>
  );
}

function Archiving(props: { archive?: PostgresArchiveStatus }) {
  const { archive } = props;
  if (!archive) {
    return (
      <StatusText icon={StatusWarning}>
        No WAL archive: only its volumes' backups can bring it back
      </StatusText>
    );
  }
  const where = `${archive.objectStore} · ${archive.serverName}`;
  if (!archive.archiving) {
    return (
      <>
        <StatusText icon={StatusPending}>Not reported yet</StatusText>
        <Typography variant="caption" color="textSecondary" component="div">
          {where}
        </Typography>
      </>
    );
  }
  return (
    <>
      <StatusText icon={archive.archiving.ok ? StatusOK : StatusError}>
        {archive.archiving.ok ? 'Archiving' : 'Archiving failing'}
      </StatusText>
      <Typography variant="caption" color="textSecondary" component="div">
        {where}
        {!archive.archiving.ok &&
          archive.archiving.message &&
          ` · ${archive.archiving.message}`}
      </Typography>
    </>
  );
}

/**
 * The entity's CloudNativePG clusters: instances, where the data lives, and
 * whether the WAL archive (the Barman Cloud plugin's object store) works
 * and how far back it reaches; for one not on OpenEBS, its migration plan;
 * for one another follows, recording that hand-over in Git.
 * Nothing when the entity has none.
 */
export function PostgresClusters(props: PostgresClustersProps) {
  const classes = useTableStyles();
  const rows = props.clusters.flatMap(cluster =>
    (cluster.databases ?? []).map(database => ({
      cluster: cluster.cluster,
      database,
      // The primary of a pair, not on OpenEBS yet: it can be moved to any
      // of the cluster's OpenEBS classes.
      migrateTo:
        !database.replicaOf &&
        !cluster.migrationTargets?.includes(database.storageClass ?? '')
          ? cluster.migrationTargets ?? []
          : [],
      // The Clusters that follow this one: a hand-over to record in Git.
      followers: (cluster.databases ?? []).filter(
        d =>
          d.namespace === database.namespace && d.replicaOf === database.name,
      ),
    })),
  );
  if (rows.length === 0) return null;
  return (
    <InfoCard title="PostgreSQL (CloudNativePG)">
      <Box className={classes.scroller}>
        <Table
          size="small"
          aria-label="PostgreSQL clusters"
          className={classes.table}
        >
          <TableHead>
            <TableRow>
              <TableCell>Cluster</TableCell>
              <TableCell>Instances</TableCell>
              <TableCell>Storage class</TableCell>
              <TableCell>WAL archive</TableCell>
              <TableCell>Recoverable from</TableCell>
              <TableCell>Last base backup</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(({ cluster, database, migrateTo, followers }) => (
              <TableRow
                key={`${cluster}/${database.namespace}/${database.name}`}
              >
                <TableCell>
                  {database.namespace}/{database.name}
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                  >
                    {cluster}
                    {database.currentPrimary &&
                      ` · primary ${database.currentPrimary}`}
                    {database.replicaOf &&
                      ` · replica of ${database.replicaOf} (takes no writes)`}
                  </Typography>
                </TableCell>
                <TableCell>
                  <Instances database={database} />
                </TableCell>
                <TableCell>{database.storageClass ?? '—'}</TableCell>
                <TableCell className={classes.prose}>
                  <Archiving archive={database.archive} />
                </TableCell>
                <TableCell className={classes.nowrap}>
                  <When at={database.archive?.firstRecoverabilityPoint} />
                </TableCell>
                <TableCell className={classes.nowrap}>
                  <When at={database.archive?.lastSuccessfulBackup} />
                  {database.archive?.lastFailedBackup && (
                    <Typography variant="caption" color="error" component="div">
                      last failed{' '}
                      {formatTimestamp(database.archive.lastFailedBackup)}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  {migrateTo.map(targetClass => (
                    <MigrationPlanButton
                      key={targetClass}
                      entityRef={props.entityRef}
                      cluster={cluster}
                      database={database}
                      targetClass={targetClass}
                      named={migrateTo.length > 1}
                    />
                  ))}
                  {!database.replicaOf &&
                    followers.map(follower => (
                      <RecordPrimaryButton
                        key={follower.name}
                        entityRef={props.entityRef}
                        cluster={cluster}
                        namespace={database.namespace}
                        primary={database.name}
                        replica={follower.name}
                      />
                    ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </InfoCard>
  );
}
