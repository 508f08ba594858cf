import { ComponentType, PropsWithChildren } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { StatusText } from '../StatusText';

type StatusIcon = ComponentType<PropsWithChildren<{}>>;

// Phases of the objects this plugin shows: PVCs (Bound, Pending, Lost),
// Velero Backups / PodVolumeBackups / DataUploads (New … Completed, Failed,
// PartiallyFailed), Velero Schedules (Enabled) and BackupStorageLocations
// (Available, Unavailable).
const iconByPhase: Record<string, StatusIcon> = {
  bound: StatusOK,
  completed: StatusOK,
  available: StatusOK,
  enabled: StatusOK,
  partiallyfailed: StatusWarning,
  pending: StatusPending,
  new: StatusPending,
  queued: StatusPending,
  accepted: StatusPending,
  prepared: StatusPending,
  readytostart: StatusPending,
  inprogress: StatusRunning,
  waitingforpluginoperations: StatusRunning,
  finalizing: StatusRunning,
  failed: StatusError,
  failedvalidation: StatusError,
  unavailable: StatusError,
  lost: StatusError,
  canceled: StatusAborted,
  canceling: StatusAborted,
  deleting: StatusAborted,
  // A claim that is gone, known only from its backups.
  deleted: StatusAborted,
};

/** Props of {@link PhaseStatus}. */
export interface PhaseStatusProps {
  phase?: string;
}

/**
 * A Kubernetes or Velero phase with a status icon: green when done or
 * available, orange when partial, red when failed or unavailable.
 */
export function PhaseStatus(props: PhaseStatusProps) {
  const { phase } = props;
  if (!phase) {
    return <>—</>;
  }
  const Icon = iconByPhase[phase.toLocaleLowerCase('en-US')] ?? StatusAborted;
  return (
    <StatusText icon={Icon} nowrap>
      {phase}
    </StatusText>
  );
}
