import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import {
  Health,
  ProtectionStatus,
  ServiceLevels,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { HealthChip, protectionStatusLabel } from '../HealthChip';
import { formatDuration } from '../format';

/** Props of {@link EntityHealthSummary}. */
export interface EntityHealthSummaryProps {
  /** The entity's overall health, as rated by the backend. */
  health?: Health;
  /** The entity's volumes in all clusters. */
  volumes: VolumeStatus[];
  serviceLevels: ServiceLevels;
}

const statusOrder: ProtectionStatus[] = [
  'protected',
  'at-risk',
  'unprotected',
  'unknown',
];

/**
 * Health at a glance: the entity's protection status and why, how many of
 * its volumes are in each status, and the service levels they are held to.
 */
export function EntityHealthSummary(props: EntityHealthSummaryProps) {
  const { health, volumes, serviceLevels } = props;
  const countOf = (status: ProtectionStatus) =>
    volumes.filter(volume => volume.health.status === status).length;
  const levels: Array<[what: string, requirement: string]> = [
    [
      'Provisioning (PVC Bound)',
      `within ${formatDuration(serviceLevels.provisioningSeconds)}`,
    ],
    ['Backup in S3', `within ${formatDuration(serviceLevels.backupSeconds)}`],
    [
      'Restore from S3',
      `within ${formatDuration(serviceLevels.restoreSeconds)}`,
    ],
    [
      'Last good backup',
      // Judged per volume by the schedule that covers it (the backend's
      // recovery point), not by one fixed age.
      "no older than its schedule's newest due run",
    ],
  ];

  return (
    <InfoCard title="Storage health">
      <Grid container spacing={3}>
        <Grid item xs={12} md={5}>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            Entity
          </Typography>
          {health ? (
            <HealthChip health={health} showReason />
          ) : (
            <Typography variant="body2">Not rated.</Typography>
          )}
        </Grid>
        <Grid item xs={12} sm={6} md={3}>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            Volumes by status
          </Typography>
          <ul aria-label="Volumes by status">
            {statusOrder.map(status => (
              <li key={status}>
                <Typography variant="body2">
                  {protectionStatusLabel(status)}: {countOf(status)}
                </Typography>
              </li>
            ))}
          </ul>
        </Grid>
        <Grid item xs={12} sm={6} md={4}>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            Service levels
          </Typography>
          <ul aria-label="Service levels">
            {levels.map(([what, requirement]) => (
              <li key={what}>
                <Typography variant="body2">
                  {what}: {requirement}
                </Typography>
              </li>
            ))}
          </ul>
        </Grid>
      </Grid>
    </InfoCard>
  );
}
