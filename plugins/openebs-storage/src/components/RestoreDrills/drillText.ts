import {
  DRILL_ANNOTATION,
  DrillEvidenceCheck,
  EntityDrills,
  RestoreDrill,
  formatBytes,
  formatDuration,
} from '@openebs-portal/plugin-openebs-storage-common';
import { formatRelativeTime } from '../format';

/** Bytes a drill brought back, over all its volumes. */
export function drillBytes(drill: RestoreDrill): number | undefined {
  const restored = drill.volumes.filter(v => v.bytesRestored !== undefined);
  return restored.length === 0
    ? undefined
    : restored.reduce((sum, v) => sum + (v.bytesRestored ?? 0), 0);
}

/**
 * The tab's one-line answer to "when did we last prove it comes back":
 * `Last drill passed 3 d ago, recovered in 4 min 10 s, 2.1 GiB`.
 */
export function lastProofText(drills: EntityDrills, now = new Date()): string {
  const passed = drills.lastPassed;
  if (!passed) {
    return drills.drills.length === 0
      ? 'No restore drill has run for this entity yet.'
      : 'No restore drill of this entity has passed yet.';
  }
  const bytes = drillBytes(passed);
  return [
    `Last drill passed ${formatRelativeTime(
      passed.finishedAt ?? passed.queuedAt,
      now,
    )}`,
    passed.recoverySeconds !== undefined &&
      `recovered in ${formatDuration(passed.recoverySeconds)}`,
    bytes !== undefined && formatBytes(bytes),
  ]
    .filter(Boolean)
    .join(', ');
}

/** Whether and why scheduled drills run, in a sentence. */
export function enrolmentText(drills: EntityDrills): string {
  const { enrolled, tabChoice } = drills;
  if (!enrolled) {
    return tabChoice === 'off'
      ? `Scheduled drills turned off on this tab (the annotation ${DRILL_ANNOTATION} asks for ${
          drills.annotated ?? 'none'
        }).`
      : `Not enrolled for scheduled drills (choose a cadence, or annotation ${DRILL_ANNOTATION}: weekly or daily).`;
  }
  const by =
    enrolled.source === 'tab'
      ? `on this tab by ${startedByText(enrolled.setBy ?? 'someone')}`
      : `by the annotation ${DRILL_ANNOTATION}`;
  return `Enrolled ${by}: a ${enrolled.cadence} drill restores the newest good backup into a scratch namespace (isolated, deleted afterwards).`;
}

/** What the chain check says, in words an auditor and an owner both read. */
export function evidenceText(check: DrillEvidenceCheck): string {
  if (!check.intact) {
    return `Evidence altered: ${check.problem ?? 'the chain does not verify'}`;
  }
  return `Evidence intact: ${check.records} sealed record${
    check.records === 1 ? '' : 's'
  }, ${
    check.signed ? 'signed (HMAC)' : 'chained (SHA-256, no key configured)'
  }`;
}

/** Who started a drill: the schedule, or a user. */
export function startedByText(startedBy: string): string {
  return startedBy === 'schedule'
    ? 'Schedule'
    : startedBy.replace(/^user:(default\/)?/, '');
}
