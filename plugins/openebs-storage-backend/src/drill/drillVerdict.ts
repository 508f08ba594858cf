import {
  DrillVerification,
  DrillVolume,
  formatBytes,
} from '@openebs-portal/plugin-openebs-storage-common';

/**
 * Whether the data came back: every volume of the drill restored with as
 * many bytes as Velero backed up of it. Velero's own counters are compared
 * (the PodVolumeBackup's and the PodVolumeRestore's, or the DataUpload's and
 * the DataDownload's), so a restore that silently skipped a volume or
 * brought back part of it fails the drill.
 *
 * Kopia's counters are not exact to the byte: an incremental backup may
 * count the length of symlink targets that the restore does not (seen on
 * the full lab: 53 bytes more backed up, the four symlinks of a dataset).
 * A restore up to `COUNTER_SLACK_BYTES` short is therefore equal, and says
 * so; anything less is not. The entity's own verification is what checks
 * content.
 */
export const COUNTER_SLACK_BYTES = 4096;

export function drillVerdict(
  volumes: DrillVolume[],
  verification?: DrillVerification,
): {
  state: 'passed' | 'failed';
  reason: string;
} {
  if (volumes.length === 0) {
    return {
      state: 'failed',
      reason: 'The backup holds no completed copy of any volume of the entity',
    };
  }
  const problems = volumes.flatMap(volume => {
    if (volume.bytesRestored === undefined) {
      return [`${volume.claim}: Velero restored no data for it`];
    }
    if (volume.bytesBackedUp === undefined) {
      return [`${volume.claim}: the backup does not say how much it copied`];
    }
    const short = volume.bytesBackedUp - volume.bytesRestored;
    return short >= 0 && short <= COUNTER_SLACK_BYTES
      ? []
      : [
          `${volume.claim}: ${volume.bytesRestored} bytes restored of ${volume.bytesBackedUp} backed up`,
        ];
  });
  if (verification && !verification.passed) {
    problems.push(verificationFailure(verification));
  }
  if (problems.length > 0) {
    return { state: 'failed', reason: problems.join('; ') };
  }
  const total = volumes.reduce((sum, v) => sum + (v.bytesRestored ?? 0), 0);
  const short = volumes.reduce(
    (sum, v) => sum + ((v.bytesBackedUp ?? 0) - (v.bytesRestored ?? 0)),
    0,
  );
  return {
    state: 'passed',
    reason: `${volumes.length} volume${
      volumes.length === 1 ? '' : 's'
    }, ${formatBytes(total)} restored, equal to what the backup holds${
      short > 0 ? ` (Velero's counters ${short} bytes apart)` : ''
    }${
      verification
        ? `; the entity's verification passed in ${verification.pod}`
        : ''
    }`,
  };
}

/** The verification's failure in a line: its exit and its last words. */
function verificationFailure(verification: DrillVerification): string {
  const lastLine = (verification.output ?? '')
    .trim()
    .split('\n')
    .pop()
    ?.slice(0, 300);
  const how =
    verification.exitCode === undefined
      ? 'did not finish'
      : `exited with ${verification.exitCode}`;
  return `the entity's verification ${how}${
    verification.pod ? ` in ${verification.pod}` : ''
  }${lastLine ? `: ${lastLine}` : ''}`;
}
