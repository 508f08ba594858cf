import Box from '@material-ui/core/Box';
import { WarningPanel } from '@backstage/core-components';
import {
  ClusterError,
  ClusterStorage,
} from '@openebs-portal/plugin-openebs-storage-common';

const reasonLabels: Record<ClusterError['reason'], string> = {
  unreachable: 'Cluster unreachable',
  forbidden: 'Access denied to the portal',
  'not-synced': 'Not synced yet',
  error: 'Error',
};

/** Props of {@link ClusterErrors}. */
export interface ClusterErrorsProps {
  clusters: ClusterStorage[];
}

/**
 * One warning per cluster whose data is missing or incomplete. The other
 * clusters' data still renders: one broken cluster never blanks the page.
 */
export function ClusterErrors(props: ClusterErrorsProps) {
  const failing = props.clusters.filter(cluster => cluster.errors.length > 0);
  return (
    <>
      {failing.map(cluster => (
        <Box key={cluster.cluster} mb={1}>
          <WarningPanel
            title={`Storage data of cluster ${cluster.cluster} is incomplete`}
            defaultExpanded
            message={
              <>
                {cluster.errors.map((error, index) => (
                  <span key={index} style={{ display: 'block' }}>
                    {reasonLabels[error.reason] ?? error.reason}
                    {error.resource && ` (${error.resource})`}: {error.message}
                  </span>
                ))}
              </>
            }
          />
        </Box>
      ))}
    </>
  );
}
