import { useCallback, useMemo } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  KUBERNETES_ANNOTATIONS,
  RestoreRequest,
  VolumeMigration,
  openebsStorageReadPermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { useEntityMigrations } from '../../hooks/useEntityMigrations';
import {
  MigrationActions,
  MigrationContext,
  MigrationsCard,
} from '../Migrations';
import { useEntityRestores } from '../../hooks/useEntityRestores';
import { useEntityStorage } from '../../hooks/useEntityStorage';
import { ClusterErrors } from '../ClusterErrors';
import { EntityHealthSummary } from '../EntityHealthSummary';
import { RestoreActions, RestoreContext } from '../RestoreDialog';
import { RestoreRequestsTable } from '../RestoreRequestsTable';
import { RestoreDrillsCard } from '../RestoreDrills';
import { FiringAlerts } from '../FiringAlerts';
import { StorageLocations } from '../StorageLocations';
import { PostgresClusters } from '../PostgresClusters';
import { VolumesTable } from '../VolumesTable';
import { WithheldVolumes } from '../WithheldVolumes';
import { isNotAllowed } from '../errors';
import { formatTimestamp } from '../format';

/**
 * The Storage tab of an entity page: health at a glance, the entity's
 * volumes with their backups and snapshots (and a restore action on each
 * backup), the restores requested, and where backups are stored.
 */
export function EntityStorageContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const alertApi = useApi(alertApiRef);
  const { value: storage, loading, error, retry } = useEntityStorage(entity);
  const restores = useEntityRestores(entity);
  const retryRestores = restores.retry;
  const migrations = useEntityMigrations(entity);
  const retryMigrations = migrations.retry;

  const refresh = () => {
    retry();
    retryRestores();
    retryMigrations();
  };

  const onRequested = useCallback(
    (request: RestoreRequest) => {
      retryRestores();
      alertApi.post({
        message: `Restore ${request.restoreName} requested: the data comes back in namespace ${request.targetNamespace}. Follow it under Restores.`,
        severity: 'success',
        display: 'transient',
      });
    },
    [alertApi, retryRestores],
  );
  const onDecided = useCallback(
    (request: RestoreRequest) => {
      retryRestores();
      alertApi.post({
        message: `Restore ${request.restoreName} ${
          request.state === 'rejected' ? 'rejected' : 'approved'
        }.`,
        severity: 'success',
        display: 'transient',
      });
    },
    [alertApi, retryRestores],
  );
  const onCancelled = useCallback(
    (request: RestoreRequest) => {
      retryRestores();
      alertApi.post({
        message: `Restore ${request.restoreName} cancelled.`,
        severity: 'success',
        display: 'transient',
      });
    },
    [alertApi, retryRestores],
  );
  // A migration changes the claim's class and volume: the volumes reload.
  const onMigrationChanged = useCallback(
    (migration: VolumeMigration, message: string) => {
      retryMigrations();
      retry();
      alertApi.post({
        message: `${migration.namespace}/${migration.claim}: ${message}`,
        severity: 'success',
        display: 'transient',
      });
    },
    [alertApi, retry, retryMigrations],
  );
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const clusters = storage?.clusters;
  const migrationList = migrations.value?.migrations;
  const migrationActions = useMemo<MigrationActions | undefined>(
    () =>
      clusters && {
        entityRef: { kind, namespace, name },
        clusters,
        migrations: migrationList ?? [],
        onRequested: m =>
          onMigrationChanged(
            m,
            `migration to ${m.targetClass} requested. Follow it under Migrations.`,
          ),
      },
    [kind, namespace, name, clusters, migrationList, onMigrationChanged],
  );
  const restoreActions = useMemo<RestoreActions | undefined>(
    () =>
      clusters && {
        entityRef: { kind, namespace, name },
        clusters,
        onRequested,
      },
    [kind, namespace, name, clusters, onRequested],
  );

  const toolbar = (
    <Box display="flex" alignItems="center" justifyContent="flex-end">
      {storage && (
        <Typography variant="body2" color="textSecondary">
          As of {formatTimestamp(storage.generatedAt)}
        </Typography>
      )}
      <Box ml={2}>
        <Button
          variant="outlined"
          size="small"
          startIcon={<RefreshIcon />}
          onClick={refresh}
          disabled={loading}
        >
          Refresh
        </Button>
      </Box>
    </Box>
  );

  let body;
  if (loading && !storage) {
    body = <Progress />;
  } else if (error && isNotAllowed(error)) {
    body = (
      <EmptyState
        missing="info"
        title="You may not see this entity's storage"
        description={`Viewing volumes and backups needs the ${openebsStorageReadPermission.name} permission for ${entityRef}. Ask the entity's owners or your Backstage administrators to grant it.`}
      />
    );
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (storage) {
    const volumes = storage.clusters.flatMap(cluster => cluster.volumes);
    const someClusterFailed = storage.clusters.some(
      cluster => cluster.errors.length > 0,
    );
    const someWithheld = storage.clusters.some(
      cluster => (cluster.withheld?.volumes ?? 0) > 0,
    );
    body = (
      <Grid container spacing={3}>
        {loading && (
          <Grid item xs={12}>
            {/* Refreshing: keep the data on screen. */}
            <LinearProgress aria-label="Refreshing" />
          </Grid>
        )}
        {someClusterFailed && (
          <Grid item xs={12}>
            <ClusterErrors clusters={storage.clusters} />
          </Grid>
        )}
        {someWithheld && (
          <Grid item xs={12}>
            <WithheldVolumes clusters={storage.clusters} />
          </Grid>
        )}
        {storage.clusters.some(c => (c.alerts?.length ?? 0) > 0) && (
          <Grid item xs={12}>
            <FiringAlerts clusters={storage.clusters} />
          </Grid>
        )}
        {volumes.length === 0 ? (
          <Grid item xs={12}>
            <EmptyState
              missing="data"
              title="No volumes found for this entity"
              description={[
                `The portal found no PersistentVolumeClaim for ${entityRef}.`,
                // An unreadable cluster may hold them: point at the warnings.
                someClusterFailed &&
                  'Some clusters could not be read (see the warnings above).',
                // Found, but another owner's: not "check your annotations".
                someWithheld &&
                  "Volumes in namespaces recorded as other owners' are not shown (see the notes above).",
                `Check that its ${KUBERNETES_ANNOTATIONS.id} or ${KUBERNETES_ANNOTATIONS.labelSelector} annotation matches the labels of its pods (and ${KUBERNETES_ANNOTATIONS.namespace} its namespace), and that its PersistentVolumeClaims exist in the clusters.`,
              ]
                .filter(Boolean)
                .join(' ')}
            />
          </Grid>
        ) : (
          <>
            <Grid item xs={12}>
              <EntityHealthSummary
                health={storage.health}
                volumes={volumes}
                serviceLevels={storage.serviceLevels}
              />
            </Grid>
            <Grid item xs={12}>
              <VolumesTable
                clusters={storage.clusters}
                serviceLevels={storage.serviceLevels}
              />
            </Grid>
            {storage.clusters.some(c => (c.databases?.length ?? 0) > 0) && (
              <Grid item xs={12}>
                <PostgresClusters
                  clusters={storage.clusters}
                  entityRef={entityRef}
                />
              </Grid>
            )}
          </>
        )}
        <Grid item xs={12}>
          {/* Even without volumes: an in-place restore deletes the claims. */}
          <RestoreRequestsTable
            restores={restores.value?.items}
            loading={restores.loading}
            error={restores.error}
            serviceLevels={storage.serviceLevels}
            entityRef={entityRef}
            onCancelled={onCancelled}
            onDecided={onDecided}
          />
        </Grid>
        {migrationList && migrationList.length > 0 && (
          <Grid item xs={12}>
            <MigrationsCard
              migrations={migrationList}
              entityRef={entityRef}
              downtimeLimitSeconds={
                storage.serviceLevels.migrationDowntimeSeconds
              }
              onDecided={m =>
                onMigrationChanged(
                  m,
                  m.state === 'confirmed'
                    ? 'the new volume is kept.'
                    : 'rolling back to the old volume.',
                )
              }
            />
          </Grid>
        )}
        <Grid item xs={12}>
          <RestoreDrillsCard
            entity={entity}
            restoreSeconds={storage.serviceLevels.restoreSeconds}
            restores={restores.value?.items}
          />
        </Grid>
        <Grid item xs={12}>
          <StorageLocations clusters={storage.clusters} />
        </Grid>
      </Grid>
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        {toolbar}
      </Grid>
      <Grid item xs={12}>
        <RestoreContext.Provider value={restoreActions}>
          <MigrationContext.Provider value={migrationActions}>
            {body}
          </MigrationContext.Provider>
        </RestoreContext.Provider>
      </Grid>
    </Grid>
  );
}
