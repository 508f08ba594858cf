/*
 * A backup schedule gone late, and a slow backup, for the alerts story.
 *
 * The schedule runs every five minutes and Prometheus knows its interval
 * from the rule the workload template writes for a schedule of its own
 * (scheduleIntervalResource, the product's function, not a copy). It is
 * paused after a good run, as someone pausing it for maintenance and
 * forgetting would leave it. Resumed, Velero runs it; by then its pod's
 * pre-backup hook takes longer than the backup service level (5 minutes),
 * as an application's flush or quiesce can, so that run is a real slow
 * backup of a schedule.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect } from '@playwright/test';
import { parse } from 'yaml';
import { scheduleIntervalResource } from '../../plugins/scaffolder-backend-module-openebs/src/flux/monitoring';
import {
  applyList,
  backUpFromSchedule,
  kubectl,
  labState,
  sleepingPod,
  patchSchedule,
  removeNamespace,
  waitForPodReady,
  veleroBackups,
  waitForBackup,
} from './fullLab';

const CRON = '*/5 * * * *';
/** The hook's sleep: past the 300 s service level, whatever else the run takes. */
export const SLOW_HOOK_SECONDS = 320;

/**
 * Makes the lab's Prometheus read the cluster's PrometheusRules again
 * (lab/scripts/monitoring.sh, as after a workload's rule is merged).
 */
function reloadMonitoring() {
  execFileSync(
    path.resolve(__dirname, '../../lab/scripts/monitoring.sh'),
    ['up', labState()],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

/**
 * A namespace (also the schedule's name) with one pod, under a paused
 * five-minute schedule whose interval Prometheus records, after one good
 * run of it; and when that run completed.
 */
export function pausedAfterGoodRun(): {
  schedule: string;
  goodRunAt: number;
} {
  const schedule = `alerts-late-${Date.now().toString(36)}`;
  kubectl(['create', 'namespace', schedule]);
  const rule = parse(
    scheduleIntervalResource({ name: schedule, cron: CRON }).content!,
  );
  applyList([
    sleepingPod(schedule),
    { ...rule, metadata: { ...rule.metadata, namespace: schedule } },
    {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: schedule, namespace: 'velero' },
      spec: {
        schedule: CRON,
        paused: true,
        template: {
          includedNamespaces: [schedule],
          storageLocation: 'default',
          ttl: '1h0m0s',
        },
      },
    },
  ]);
  waitForPodReady(schedule, 'app');
  reloadMonitoring();
  const good = `${schedule}-good`;
  backUpFromSchedule(schedule, good, { 'velero.io/schedule-name': schedule });
  // Velero's last-success gauge is the run's completion time.
  const completed = veleroBackups('get', [
    good,
    '-o',
    'jsonpath={.status.completionTimestamp}',
  ]);
  return { schedule, goodRunAt: Date.parse(completed) };
}

/**
 * The pod's pre-backup hook made slow, then the schedule resumed; returns
 * the run Velero starts for it (at once, as it is overdue, or at its next
 * cron time at the latest). The schedule is paused again as soon as that
 * run exists.
 */
export async function resumeWithSlowHook(schedule: string): Promise<string> {
  kubectl([
    '-n',
    schedule,
    'annotate',
    '--overwrite',
    'pod',
    'app',
    `pre.hook.backup.velero.io/command=["/bin/sh", "-c", "sleep ${SLOW_HOOK_SECONDS}"]`,
    // Velero's default is 30 s, after which the hook fails the backup.
    'pre.hook.backup.velero.io/timeout=10m',
  ]);
  patchSchedule(schedule, { paused: false });
  let run: string | undefined;
  await expect
    .poll(
      () => {
        const runs = JSON.parse(
          veleroBackups('get', [
            '-l',
            `velero.io/schedule-name=${schedule}`,
            '-o',
            'json',
          ]),
        ).items.map((b: any) => b.metadata.name as string);
        run = runs.find((name: string) => name !== `${schedule}-good`);
        return run;
      },
      {
        timeout: 6 * 60_000,
        intervals: [5_000],
        message: 'the resumed schedule runs',
      },
    )
    .toBeDefined();
  // One slow run is the fault; another would outlive the story.
  patchSchedule(schedule, { paused: true });
  return run!;
}

/** Once the run has completed, how long it took, in seconds (Velero's times). */
export function slowRunSeconds(run: string): number {
  waitForBackup(run, 'Completed', 600);
  const status = JSON.parse(
    veleroBackups('get', [run, '-o', 'jsonpath={.status}']),
  );
  return (
    (Date.parse(status.completionTimestamp) -
      Date.parse(status.startTimestamp)) /
    1000
  );
}

/**
 * The schedule, its runs, its namespace and its interval rule gone, and
 * Prometheus told, so it stops recording an interval for a schedule that
 * no longer exists (Velero drops the schedule's own series itself).
 */
export function removeLateSchedule(schedule: string) {
  removeNamespace(schedule, schedule);
  kubectl(['wait', '--for=delete', `namespace/${schedule}`, '--timeout=120s']);
  reloadMonitoring();
}
