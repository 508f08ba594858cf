import {
  RecoveryPoint,
  VolumeBackup,
} from '@openebs-portal/plugin-openebs-storage-common';
import { scheduleCadence } from './scheduleCadence';

/**
 * Velero's schedule controller looks at schedules about once a minute, so a
 * run's backup may start that long after the cron time.
 */
const SCHEDULE_SYNC_SECONDS = 60;

/**
 * A volume's recovery point judged by the schedules that cover it: overdue
 * when the newest good backup started before the most demanding schedule's
 * newest due run. A run is due once its backup has had the backup service
 * level (plus Velero's schedule sync) to complete; an hourly schedule is so
 * judged by the hour and a weekly one by the week, never by one fixed age.
 *
 * A volume with no good backup is owed one only by a run it existed for: a
 * claim made at 10:00 under a 02:00 daily schedule is not overdue until
 * tomorrow's run has had its time (Velero backs up new volumes at the next
 * run, not at once; otherwise every new volume would alert).
 */
export function assessRecoveryPoint(options: {
  schedules: Array<{ name: string; cron: string }>;
  lastGoodBackup?: VolumeBackup;
  /** When the volume's claim was created. */
  volumeCreatedAt?: string;
  backupSeconds: number;
  now: Date;
}): RecoveryPoint | undefined {
  const { schedules, lastGoodBackup, now } = options;
  const at = lastGoodBackup?.startedAt ?? lastGoodBackup?.completedAt;
  const point = {
    at,
    ageSeconds: at
      ? Math.max(0, (now.getTime() - Date.parse(at)) / 1000)
      : undefined,
  };
  const graceSeconds = options.backupSeconds + SCHEDULE_SYNC_SECONDS;
  const judged = schedules.map(schedule => ({
    schedule,
    cadence: scheduleCadence(schedule.cron, now, graceSeconds),
  }));
  let demanding: RecoveryPoint | undefined;
  for (const { schedule, cadence } of judged) {
    if ('invalid' in cadence) continue;
    if (demanding && Date.parse(demanding.dueAt!) >= cadence.dueAt.getTime()) {
      continue;
    }
    demanding = {
      schedule: schedule.name,
      cron: schedule.cron,
      intervalSeconds: cadence.intervalSeconds,
      dueAt: cadence.dueAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...point,
      overdue: at
        ? Date.parse(at) < cadence.dueAt.getTime()
        : existedBefore(options.volumeCreatedAt, cadence.dueAt),
    };
  }
  if (demanding) return demanding;
  // Only schedules whose cron cannot be read: say so rather than guess.
  const [first] = judged;
  if (!first || !('invalid' in first.cadence)) return undefined;
  return {
    schedule: first.schedule.name,
    cron: first.schedule.cron,
    ...point,
    overdue: false,
    invalid: first.cadence.invalid,
  };
}

/** A volume of unknown age is taken to have existed. */
function existedBefore(createdAt: string | undefined, run: Date): boolean {
  return !createdAt || Date.parse(createdAt) <= run.getTime();
}
