import { lazy, Suspense, useMemo } from 'react';
import Typography from '@material-ui/core/Typography';
import { Progress } from '@backstage/core-components';
import {
  ServiceLevels,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { describeTrend, volumeTrends } from './volumeTrends';

// The chart library is most of the tab's weight; it loads when a volume's
// details are opened, not with the tab.
const VolumeTrendCharts = lazy(() => import('./VolumeTrendCharts'));

/** Props of {@link VolumeTrends}. */
export interface VolumeTrendsProps {
  volume: VolumeStatus;
  serviceLevels: ServiceLevels;
}

/** A volume's backup sizes, durations and outcomes over the last 30 days. */
export function VolumeTrends(props: VolumeTrendsProps) {
  const { volume, serviceLevels } = props;
  const trends = useMemo(
    () => volumeTrends(volume.backups, new Date()),
    [volume.backups],
  );
  if (trends.finished === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No backup of this volume finished in the last {trends.windowDays} days:
        nothing to chart.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2" gutterBottom>
        {describeTrend(trends)}
      </Typography>
      <Suspense fallback={<Progress />}>
        <VolumeTrendCharts
          trends={trends}
          backupSeconds={serviceLevels.backupSeconds}
        />
      </Suspense>
    </>
  );
}
