/*
 * The full lab as the full-lab stories reach it: its state directory
 * (E2E_FULL_LAB, set by scripts/e2e.sh), its env file and its kubectl as the
 * lab's admin, for what no browser can see and for what Velero's schedule
 * would do at 02:00.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { readEnvFile } from '@openebs-portal/lab-testkit';
import { veleroBackupResults } from './bucket';

export function labState(): string {
  const state = process.env.E2E_FULL_LAB;
  if (!state) throw new Error('E2E_FULL_LAB is not set: run scripts/e2e.sh');
  return state;
}

/**
 * The provisioner serving openebs.io/local: the lab's stand-in, run under
 * the name and namespace the OpenEBS chart gives its provisioner's
 * Deployment (the one the template's OpenEBSLocalPVProvisionerUnavailable
 * watches), and the Lease its replicas compete for
 * (lab/platform/local-path-provisioner.yaml).
 */
export const PROVISIONER = {
  namespace: 'kube-system',
  deployment: 'openebs-localpv-localpv-provisioner',
  lease: 'openebs-io-local',
};

/** A value of one of the full lab's env files (env-node, env-s3, …). */
export function stateEnv(file: string, name: string): string {
  const value = readEnvFile(path.join(labState(), file))[name];
  if (!value) throw new Error(`${labState()}/${file} has no ${name}`);
  return value;
}

/** A value of the full lab's env-node file (LAB_KUBECTL, LAB_NODE_IP, …). */
export function nodeEnv(name: string): string {
  return stateEnv('env-node', name);
}

/**
 * The lab's kubectl, as its admin, for what no browser can see (bytes) and
 * for what the owner's workload and Velero's schedule would do.
 */
export function kubectl(args: string[], input?: string): string {
  return execFileSync(
    nodeEnv('LAB_KUBECTL'),
    ['--kubeconfig', path.join(labState(), 'kubeconfig'), ...args],
    { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 },
  );
}

/** A pod `app` that only sleeps: something of the namespace to back up. */
export function sleepingPod(namespace: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app', namespace },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: 'app',
          image: nodeEnv('LAB_BUSYBOX_IMAGE'),
          command: ['sleep', '86400'],
          resources: { requests: { cpu: '1m', memory: '4Mi' } },
        },
      ],
    },
  };
}

/** Waits for a pod that exists (`kubectl wait` fails at once on one that does not). */
export function waitForPodReady(
  namespace: string,
  pod: string,
  timeoutSeconds = 180,
) {
  kubectl([
    '-n',
    namespace,
    'wait',
    '--for=condition=Ready',
    `pod/${pod}`,
    `--timeout=${timeoutSeconds}s`,
  ]);
}

/**
 * A Backup made from a Schedule's template, as Velero makes the scheduled
 * ones, and waited for until Completed.
 */
export function backUpFromSchedule(
  schedule: string,
  name: string,
  labels: Record<string, string>,
) {
  const template = JSON.parse(
    kubectl([
      '-n',
      'velero',
      'get',
      'schedule',
      schedule,
      '-o',
      'jsonpath={.spec.template}',
    ]),
  );
  // One per run: a day is enough for a lab kept between runs.
  backUp(name, labels, { ...template, ttl: '24h0m0s' });
}

/**
 * Velero's Backups, named in full: where CloudNativePG's CRDs are installed
 * `backup` is its Backup, not Velero's.
 */
export const VELERO_BACKUPS = 'backups.velero.io';

/** `kubectl -n velero VERB backups.velero.io ARGS…`. */
export function veleroBackups(verb: 'get' | 'delete', args: string[]): string {
  return kubectl(['-n', 'velero', verb, VELERO_BACKUPS, ...args]);
}

/** Phases after which Velero is done with a backup. */
const FINISHED_BACKUP_PHASES = [
  'Completed',
  'PartiallyFailed',
  'Failed',
  'FailedValidation',
];

/**
 * Velero's Backups (those matching `selector` when given) that have not
 * ended, oldest first: name, phase, queue position.
 */
export function unfinishedBackups(selector?: string): Array<{
  name: string;
  phase: string;
  queuePosition?: number;
}> {
  const list = JSON.parse(
    veleroBackups('get', [
      ...(selector ? ['-l', selector] : []),
      '--sort-by=.metadata.creationTimestamp',
      '-o',
      'json',
    ]),
  );
  return list.items
    .filter((b: any) => !FINISHED_BACKUP_PHASES.includes(b.status?.phase))
    .map((b: any) => ({
      name: b.metadata.name,
      phase: b.status?.phase ?? 'New',
      queuePosition: b.status?.queuePosition,
    }));
}

/**
 * Waits until Velero ends Backup `name` in `phase`. A backup Velero ended
 * otherwise fails the wait at once, with why: its status and the errors of
 * its results in the bucket (what `velero backup describe --details`
 * shows), so a run in CI says what went wrong, not only that it timed out.
 */
export function waitForBackup(
  name: string,
  phase: 'Completed' | 'Failed' | 'PartiallyFailed' = 'Completed',
  timeoutSeconds = 300,
) {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const backup = JSON.parse(veleroBackups('get', [name, '-o', 'json'])) as {
      status?: Record<string, unknown>;
    };
    const ended = backup.status?.phase as string | undefined;
    if (ended === phase) return;
    if (ended && FINISHED_BACKUP_PHASES.includes(ended)) {
      throw new Error(
        `Backup ${name} ended ${ended}, not ${phase}: ${whyBackupEnded(
          name,
          backup.status!,
        )}`,
      );
    }
    if (Date.now() > deadline) {
      // What Velero was doing instead: a backup it never started blocks its
      // queue, and every later wait would time out the same way.
      throw new Error(
        `Backup ${name} did not reach ${phase} in ${timeoutSeconds} s (${
          ended ?? 'New'
        }); Velero's unfinished backups: ${JSON.stringify(
          unfinishedBackups(),
        )}`,
      );
    }
    execFileSync('sleep', ['2']);
  }
}

/** A finished backup's status and the errors Velero wrote to its results. */
function whyBackupEnded(name: string, status: Record<string, unknown>) {
  const { phase, errors, warnings, failureReason, validationErrors } = status;
  const summary = JSON.stringify({
    phase,
    errors,
    warnings,
    failureReason,
    validationErrors,
  });
  try {
    return `${summary}; results: ${JSON.stringify(
      veleroBackupResults(name).errors,
    )}`;
  } catch (error) {
    return `${summary}; no results in the bucket (${error})`;
  }
}

/**
 * Velero 1.18 starts a backup when an update makes it `ReadyToStart`,
 * never when it first sees one already there. So a backup its queue moved
 * to `ReadyToStart` just before Velero stopped, or at its start before the
 * backup controller watched (a schedule due at once after a restart), stays
 * there, and being counted as running it keeps every later backup queued.
 * The runbook's remedy: any change to that Backup is an update Velero acts
 * on, so an annotation starts it. Returns the backups resumed; a backup
 * still `ReadyToStart` after `settleMs` is stalled (Velero takes a ready
 * one within milliseconds).
 */
export function resumeStalledBackups(settleMs = 20_000): string[] {
  const ready = () =>
    unfinishedBackups()
      .filter(b => b.phase === 'ReadyToStart')
      .map(b => b.name);
  const before = ready();
  if (before.length === 0) return [];
  execFileSync('sleep', [String(settleMs / 1000)]);
  const stalled = ready().filter(name => before.includes(name));
  for (const name of stalled) {
    kubectl([
      '-n',
      'velero',
      'annotate',
      '--overwrite',
      VELERO_BACKUPS,
      name,
      `openebs-portal.dev/resumed-at=${new Date().toISOString()}`,
    ]);
    console.log(
      `full lab: Velero had left backup ${name} ReadyToStart; annotated, it starts`,
    );
  }
  return stalled;
}

/** Waits until Velero's server Deployment has rolled out. */
export function waitForVeleroRollout() {
  kubectl([
    '-n',
    'velero',
    'rollout',
    'status',
    'deployment/velero',
    '--timeout=180s',
  ]);
}

/**
 * The runbook's check before a story backs up
 * (docs/runbooks/velero-backup-queue.md): a backup left `ReadyToStart` is
 * annotated; backups `Queued` while none runs for `patienceMs` mean
 * Velero's in-memory count of running backups is wrong (its race with a
 * backup that fails validation at once, as analytics' failing schedule's
 * runs do), and only a restart of Velero clears that.
 */
export function unstickVeleroQueue(patienceMs = 90_000) {
  resumeStalledBackups();
  const stuck = () => {
    const phases = unfinishedBackups().map(b => b.phase);
    return phases.includes('Queued') && !phases.includes('InProgress');
  };
  // Between two backups the queue may wait for its minute's recheck.
  const deadline = Date.now() + patienceMs;
  while (stuck()) {
    if (Date.now() > deadline) {
      console.log(
        `full lab: Velero's queue is stuck (${JSON.stringify(
          unfinishedBackups(),
        )}); restarting Velero, as the runbook says`,
      );
      kubectl(['-n', 'velero', 'rollout', 'restart', 'deployment/velero']);
      waitForVeleroRollout();
      resumeStalledBackups();
      return;
    }
    execFileSync('sleep', ['5']);
  }
}

/**
 * A Velero Backup with this spec, waited for until Velero ends it in
 * `phase`; Velero's queue checked first.
 */
export function backUp(
  name: string,
  labels: Record<string, string>,
  spec: object,
  phase?: 'Completed' | 'Failed' | 'PartiallyFailed',
  timeoutSeconds?: number,
) {
  unstickVeleroQueue();
  // Velero fails a backup at once while it holds its location Unavailable
  // (it checks it each minute): one that is to complete waits for it.
  if ((phase ?? 'Completed') === 'Completed') waitForLocationAvailable();
  kubectl(
    ['create', '-f', '-'],
    JSON.stringify({
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: { name, namespace: 'velero', labels },
      spec,
    }),
  );
  waitForBackup(name, phase, timeoutSeconds);
}

/** A merge patch of a Velero Schedule's spec, as an operator's edit. */
export function patchSchedule(schedule: string, spec: object) {
  kubectl([
    '-n',
    'velero',
    'patch',
    'schedule',
    schedule,
    '--type=merge',
    '-p',
    JSON.stringify({ spec }),
  ]);
}

/** lab/scripts/s3.sh up|down for the full lab's S3 (on the node IP). */
export function s3(command: 'up' | 'down') {
  execFileSync(
    path.resolve(__dirname, '../../lab/scripts/s3.sh'),
    [command, labState()],
    {
      env: { ...process.env, LAB_S3_ADDRESS: nodeEnv('LAB_NODE_IP') },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
}

/** The phase Velero last found its default location in. */
export function locationPhase(): string {
  return kubectl([
    '-n',
    'velero',
    'get',
    'backupstoragelocation',
    'default',
    '-o',
    'jsonpath={.status.phase}',
  ]);
}

/** Waits up to `timeoutSeconds` for Velero to find its location Available. */
export function waitForLocationAvailable(timeoutSeconds = 120) {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (locationPhase() !== 'Available' && Date.now() < deadline) {
    execFileSync('sleep', ['5']);
  }
}

/**
 * A claim on the OpenEBS hostpath class and a pod that consumes it (the
 * class binds on first consumer): `data-I` and `use-I`.
 */
export function claimAndPod(namespace: string, i: number) {
  const claim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: `data-${i}`, namespace },
    spec: {
      storageClassName: 'openebs-localpv-hostpath',
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '64Mi' } },
    },
  };
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `use-${i}`, namespace },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: 'c',
          image: nodeEnv('LAB_BUSYBOX_IMAGE'),
          command: ['sleep', '3600'],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
          resources: { requests: { cpu: '1m', memory: '4Mi' } },
        },
      ],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: `data-${i}` } },
      ],
    },
  };
  return [claim, pod];
}

/** Objects created (or updated) in one `kubectl apply` as a v1 List. */
export function applyList(items: object[]) {
  kubectl(
    ['apply', '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
  );
}

/**
 * A story's namespace, and `schedule` with its runs when given. A run may be
 * under way: it is let finish first, since a backup whose pods vanish
 * mid-copy holds Velero's queue, and the next stories' backups would wait
 * behind it.
 */
export function removeNamespace(namespace: string, schedule?: string) {
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
      if (unfinishedBackups(runs).length === 0) break;
      execFileSync('sleep', ['2']);
    }
    veleroBackups('delete', ['-l', runs, '--ignore-not-found']);
  }
  kubectl(['delete', 'namespace', namespace, '--wait=false']);
}
