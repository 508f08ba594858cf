import Typography from '@material-ui/core/Typography';
import {
  ScheduleSummary,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';

/** Props of {@link CoveringSchedules}. */
export interface CoveringSchedulesProps {
  volume: VolumeStatus;
  /** All Velero schedules of the volume's cluster. */
  clusterSchedules: ScheduleSummary[];
}

/** The Velero schedules whose scope includes one volume. */
export function CoveringSchedules(props: CoveringSchedulesProps) {
  const { volume, clusterSchedules } = props;
  if (volume.schedules.length === 0) {
    return (
      <Typography variant="body2">
        No Velero schedule covers this volume: it is not backed up
        automatically.
      </Typography>
    );
  }
  return (
    <ul aria-label={`Schedules covering ${volume.name}`}>
      {volume.schedules.map(name => {
        // The volume names its schedules; their details come from the cluster.
        // A schedule the backend could not read is still listed by name.
        const schedule = clusterSchedules.find(s => s.name === name);
        const facts = schedule
          ? [
              `cron ${schedule.cron}`,
              schedule.ttl && `kept ${schedule.ttl}`,
              schedule.paused && 'paused',
            ].filter(Boolean)
          : [];
        return (
          <li key={name}>
            <Typography variant="body2">
              {name}
              {facts.length > 0 && ` — ${facts.join(', ')}`}
            </Typography>
          </li>
        );
      })}
    </ul>
  );
}
