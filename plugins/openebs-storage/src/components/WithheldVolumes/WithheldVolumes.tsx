import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  ClusterStorage,
  WithheldVolumes as Withheld,
} from '@openebs-portal/plugin-openebs-storage-common';

/**
 * "2 volumes in 1 namespace of cluster lab-a are not shown: their namespace
 * is recorded as another owner's."
 */
export function formatWithheld(cluster: string, withheld: Withheld): string {
  const { volumes, namespaces } = withheld;
  const one = volumes === 1;
  const count = `${volumes} ${one ? 'volume' : 'volumes'} in ${namespaces} ${
    namespaces === 1 ? 'namespace' : 'namespaces'
  }`;
  const whose =
    namespaces === 1
      ? "namespace is recorded as another owner's"
      : "namespaces are recorded as other owners'";
  return `${count} of cluster ${cluster} ${one ? 'is' : 'are'} not shown: ${
    one ? 'its' : 'their'
  } ${whose}.`;
}

/** Props of {@link WithheldVolumes}. */
export interface WithheldVolumesProps {
  clusters: ClusterStorage[];
}

/**
 * One note per cluster where the backend left out volumes the entity's
 * annotations matched, because the platform records their namespace as
 * another owner's. The backend only counts them: neither the volumes nor
 * the namespaces are named.
 */
export function WithheldVolumes(props: WithheldVolumesProps) {
  const withheld = props.clusters.flatMap(({ cluster, withheld: w }) =>
    w && w.volumes > 0 ? [{ cluster, withheld: w }] : [],
  );
  return (
    <>
      {withheld.map(({ cluster, withheld: w }) => (
        <Box key={cluster} mb={1}>
          {/* Information, not an error: no live region to interrupt with. */}
          <Alert severity="info" role="note">
            <Typography variant="body2">
              {formatWithheld(cluster, w)}
            </Typography>
            {w.reason && (
              <Typography variant="body2" color="textSecondary">
                {w.reason}
              </Typography>
            )}
          </Alert>
        </Box>
      ))}
    </>
  );
}
