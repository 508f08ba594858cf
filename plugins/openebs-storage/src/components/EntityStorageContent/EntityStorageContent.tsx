import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  KUBERNETES_ANNOTATIONS,
  openebsStorageReadPermission,
} from '@openebs-portal/plugin-openebs-storage-common';
import { useEntityStorage } from '../../hooks/useEntityStorage';
import { ClusterErrors } from '../ClusterErrors';
import { EntityHealthSummary } from '../EntityHealthSummary';
import { StorageLocations } from '../StorageLocations';
import { VolumesTable } from '../VolumesTable';
import { formatTimestamp } from '../format';

/** Whether the backend refused because the user lacks the read permission. */
function isNotAllowed(error: Error): boolean {
  if (error.name === 'NotAllowedError') {
    return true;
  }
  return (
    ResponseError.is(error) &&
    (error.statusCode === 403 || error.cause.name === 'NotAllowedError')
  );
}

/**
 * The Storage tab of an entity page: health at a glance, the entity's
 * volumes with their backups and snapshots, and where backups are stored.
 */
export function EntityStorageContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { value: storage, loading, error, retry } = useEntityStorage(entity);

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
          onClick={retry}
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
          </>
        )}
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
        {body}
      </Grid>
    </Grid>
  );
}
