/*
 * analytics (team-data's service, examples/entities.yaml) in the alert
 * stories: its volumes are claims labelled app=analytics in namespaces the
 * platform records as team-data's, as the workload template writes them.
 */
import { execFileSync } from 'node:child_process';
import { applyList, claimAndPod, kubectl, waitForPodReady } from './fullLab';

/** The labels the backend's per-entity gauges and alerts carry. */
export const ANALYTICS = { entity: 'component:default/analytics' };

/**
 * A new namespace owned by team-data with one volume of analytics (claim
 * `data-0`, used by pod `use-0`), ready; its name.
 */
export function analyticsVolume(prefix: string): string {
  const namespace = `${prefix}-${Date.now().toString(36)}`;
  kubectl(['create', 'namespace', namespace]);
  kubectl([
    'annotate',
    'namespace',
    namespace,
    'openebs-portal.dev/owner=group:default/team-data',
  ]);
  const labelled = claimAndPod(namespace, 0).map((o: any) => ({
    ...o,
    metadata: { ...o.metadata, labels: { app: 'analytics' } },
  }));
  applyList(labelled);
  waitForPodReady(namespace, 'use-0');
  return namespace;
}

/** Phases after which Velero is done with a backup. */
const FINISHED_BACKUP_PHASES = [
  'Completed',
  'PartiallyFailed',
  'Failed',
  'FailedValidation',
];

/**
 * A namespace of analytics', and `schedule` with its runs when given. A run
 * may be under way: it is let finish first, since a backup whose pods
 * vanish mid-copy holds Velero's queue, and the next stories' backups would
 * wait behind it.
 */
export function removeAnalyticsVolume(namespace: string, schedule?: string) {
  if (schedule) {
    kubectl([
      '-n',
      'velero',
      'delete',
      'schedule',
      schedule,
      '--ignore-not-found',
    ]);
    const runs = `velero.io/schedule-name=${schedule}`;
    const deadline = Date.now() + 5 * 60_000;
    while (Date.now() < deadline) {
      const list = JSON.parse(
        kubectl(['-n', 'velero', 'get', 'backup', '-l', runs, '-o', 'json']),
      );
      const running = list.items.filter(
        (b: any) => !FINISHED_BACKUP_PHASES.includes(b.status?.phase),
      );
      if (running.length === 0) break;
      execFileSync('sleep', ['2']);
    }
    kubectl([
      '-n',
      'velero',
      'delete',
      'backup',
      '-l',
      runs,
      '--ignore-not-found',
    ]);
  }
  kubectl(['delete', 'namespace', namespace, '--wait=false']);
}
