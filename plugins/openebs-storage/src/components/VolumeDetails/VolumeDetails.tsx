import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ScheduleSummary,
  ServiceLevels,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { formatTimestamp, isDeletedVolume } from '../format';
import { BackupsTable } from './BackupsTable';
import { CoveringSchedules } from './CoveringSchedules';
import { SnapshotsTable } from './SnapshotsTable';
import { VolumeTrends } from '../VolumeTrends';

/** Props of {@link VolumeDetails}. */
export interface VolumeDetailsProps {
  volume: VolumeStatus;
  /** All Velero schedules of the volume's cluster. */
  clusterSchedules: ScheduleSummary[];
  serviceLevels: ServiceLevels;
}

function Section(props: { title: string; children: ReactNode }) {
  return (
    <Box component="section" mb={2}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

/**
 * Why there is no snapshot section. Hostpath is not a CSI driver, so a
 * snapshot cannot be taken and must never be offered; say what protects the
 * data instead.
 */
function noSnapshotsNote(volume: VolumeStatus): string {
  if (isDeletedVolume(volume)) {
    return 'the claim is deleted: only its Velero backups remain';
  }
  return volume.engine === 'openebs-hostpath'
    ? 'hostpath volumes cannot be snapshotted; protected by Velero file-system backups'
    : 'volumes of this class cannot be snapshotted (no CSI snapshot support); only Velero file-system backups can protect them';
}

/** The claim's volume, pods and age in one line; for a deleted claim, why it is listed. */
function Summary(props: { volume: VolumeStatus }) {
  const { volume } = props;
  if (isDeletedVolume(volume)) {
    return (
      <Typography variant="body2" gutterBottom>
        {volume.lastGoodBackup
          ? `Deleted — restorable from backup: claim ${volume.name} no longer exists in namespace ${volume.namespace}, but backups of it remain. Restore… on a backup below brings it back in a new namespace or, with the in-place permission, in ${volume.namespace} itself.`
          : `Deleted: claim ${volume.name} no longer exists in namespace ${volume.namespace}, and no completed backup of it remains.`}
      </Typography>
    );
  }
  return (
    <Typography variant="body2" gutterBottom>
      Persistent volume {volume.volumeName ?? 'not bound yet'}
      {volume.pods.length > 0 && ` · used by ${volume.pods.join(', ')}`}
      {volume.createdAt && ` · created ${formatTimestamp(volume.createdAt)}`}
    </Typography>
  );
}

/**
 * Everything about one volume that does not fit in its table row: its
 * backups, the schedules that cover it and, only for classes that can take
 * them, its snapshots.
 */
export function VolumeDetails(props: VolumeDetailsProps) {
  const { volume, clusterSchedules, serviceLevels } = props;
  return (
    <Box py={1}>
      <Summary volume={volume} />
      <Section title="Backups">
        <BackupsTable volume={volume} serviceLevels={serviceLevels} />
      </Section>
      <Section title="Trends">
        <VolumeTrends volume={volume} serviceLevels={serviceLevels} />
      </Section>
      {/* Nothing schedules a backup of a claim that no longer exists. */}
      {!isDeletedVolume(volume) && (
        <Section title="Schedules">
          <CoveringSchedules
            volume={volume}
            clusterSchedules={clusterSchedules}
          />
        </Section>
      )}
      {volume.canSnapshot ? (
        <Section title="Snapshots">
          <SnapshotsTable volume={volume} />
        </Section>
      ) : (
        <Typography variant="body2" color="textSecondary">
          {noSnapshotsNote(volume)}
        </Typography>
      )}
    </Box>
  );
}
