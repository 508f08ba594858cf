/*
 * The platform's alerts on real faults, on the full lab: Prometheus
 * evaluates the rules exactly as the template rendered them (read from the
 * cluster's PrometheusRules by lab/scripts/monitoring.sh), scrapes Velero
 * and kube-state-metrics, and sends to Alertmanager; each fault below is
 * made for real and its alert is read back through Alertmanager's API.
 *
 * - S3 stopped: VeleroBackupLocationUnavailable fires after its 5 minutes,
 *   the Storage tab shows it to shop's owner (screenshot), and it resolves
 *   when S3 is back.
 * - The provisioner stopped while a claim waits for its volume:
 *   OpenEBSVolumeClaimPending, resolved when the claim binds.
 * - The bucket made read-only under S3: a backup fails for real,
 *   VeleroBackupFailed fires (it resolves when the failure leaves its hour).
 * - Velero's server scaled to zero: VeleroServerDown, shown on the tab to
 *   every owner with backups, resolved when Velero is back.
 *
 * A backup made from the daily schedule clears VeleroScheduledBackupMissing,
 * which a fresh Prometheus rightly fires, and every panel of the template's
 * Grafana dashboard is queried here: each returns series, but for those
 * this lab cannot feed (NO_DATA_HERE says why).
 *
 * Velero's logs are checked to be the JSON lines the template asks for.
 *
 * The time from each fault to its alert in Alertmanager is printed and kept
 * in e2e/artifacts/alert-timings.json (docs/benchmarks.md).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, Page, test } from '@playwright/test';
import { parse } from 'yaml';
import {
  artifacts,
  keepScreenshot,
  openStorageTab,
  signInAsGuest,
} from '../portal';
import {
  applyList,
  backUpFromSchedule,
  claimAndPod,
  kubectl,
  labState,
  locationPhase,
  s3,
  stateEnv,
} from './fullLab';

type Alert = {
  labels: Record<string, string>;
  startsAt: string;
  status: { state: string };
};

const timings: Record<string, { faultToFiringS: number; forWindow: string }> =
  {};

/** The lab's monitoring (lab/scripts/monitoring.sh): its URLs. */
function monitoring(name: string): string {
  return stateEnv('env-monitoring', name);
}

/** The active (firing, not silenced) alerts of that name in Alertmanager. */
async function active(alertname: string): Promise<Alert[]> {
  const url = new URL('/api/v2/alerts', monitoring('LAB_ALERTMANAGER_URL'));
  url.searchParams.append('filter', `alertname="${alertname}"`);
  url.searchParams.set('active', 'true');
  url.searchParams.set('silenced', 'false');
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return ((await response.json()) as Alert[]).filter(
    a => a.status.state === 'active',
  );
}

/** Waits until the alert fires, and records the time from the fault. */
async function firing(
  alertname: string,
  faultAt: number,
  forWindow: string,
  timeoutMs: number,
  labels: Record<string, string> = {},
): Promise<Alert> {
  let found: Alert | undefined;
  await expect
    .poll(
      async () => {
        found = (await active(alertname)).find(a =>
          Object.entries(labels).every(([k, v]) => a.labels[k] === v),
        );
        return found !== undefined;
      },
      { timeout: timeoutMs, intervals: [5_000], message: `${alertname} fires` },
    )
    .toBe(true);
  const faultToFiringS = Math.round((Date.now() - faultAt) / 1000);
  timings[alertname] = { faultToFiringS, forWindow };
  console.log(
    `full lab: ${alertname} firing in Alertmanager ${faultToFiringS} s after the fault (for: ${forWindow})`,
  );
  return found!;
}

async function resolved(alertname: string, timeoutMs: number) {
  await expect
    .poll(async () => (await active(alertname)).length, {
      timeout: timeoutMs,
      intervals: [5_000],
      message: `${alertname} resolves`,
    })
    .toBe(0);
}

/** The tab's "Firing alerts" card shows a line with that text. */
async function tabShows(page: Page, text: string) {
  await signInAsGuest(page);
  await openStorageTab(page, 'shop');
  const table = page.getByRole('table', { name: 'Firing alerts' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(table).toContainText(text, { timeout: 5_000 });
  }).toPass({ timeout: 60_000, intervals: [5_000] });
}

function scale(namespace: string, deployment: string, replicas: number) {
  kubectl([
    '-n',
    namespace,
    'scale',
    `deployment/${deployment}`,
    `--replicas=${replicas}`,
  ]);
}

function replicasOf(namespace: string, deployment: string): number {
  return Number(
    kubectl([
      '-n',
      namespace,
      'get',
      'deployment',
      deployment,
      '-o',
      'jsonpath={.spec.replicas}',
    ]),
  );
}

test.describe.configure({ mode: 'serial' });

test.afterAll(() => {
  if (Object.keys(timings).length === 0) return;
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(
    path.join(artifacts, 'alert-timings.json'),
    `${JSON.stringify(timings, null, 2)}\n`,
  );
});

test("Velero's logs are JSON lines, each with its time, level and message", () => {
  // The template sets `logFormat: json` so a log agent ships them as fields;
  // Loki itself is not in the lab (docs/lab.md, "Monitoring"). The server's
  // pod only: `deployment/velero`'s selector also matches the node-agents,
  // whose first line ("Setting log-level") is text, written before the
  // format flag is read.
  const lines = kubectl([
    '-n',
    'velero',
    'logs',
    '-l',
    'name=velero',
    '-c',
    'velero',
    '--tail=200',
  ])
    .split('\n')
    .filter(Boolean);
  expect(lines.length).toBeGreaterThan(10);
  for (const line of lines) {
    const entry = JSON.parse(line);
    expect(Object.keys(entry)).toEqual(
      expect.arrayContaining(['time', 'level', 'msg']),
    );
    expect(['debug', 'info', 'warning', 'error']).toContain(entry.level);
  }
});

test('S3 stopped and the provisioner stopped: their alerts fire, the tab shows the location alert, both resolve', async ({
  page,
}) => {
  // Velero checks its location once a minute; both rules wait 5 minutes.
  test.setTimeout(15 * 60_000);
  const namespace = `alerts-pending-${Date.now().toString(36)}`;
  const provisioners = replicasOf('openebs-lab', 'local-path-provisioner');
  const faultAt = Date.now();
  s3('down');
  scale('openebs-lab', 'local-path-provisioner', 0);
  kubectl(['create', 'namespace', namespace]);
  try {
    applyList(claimAndPod(namespace, 0));
    await Promise.all([
      firing('VeleroBackupLocationUnavailable', faultAt, '5m', 9 * 60_000, {
        backup_location_name: 'default',
      }),
      firing('OpenEBSVolumeClaimPending', faultAt, '5m', 9 * 60_000, {
        namespace,
        persistentvolumeclaim: 'data-0',
      }),
    ]);
    await tabShows(page, 'A Velero backup storage location is unavailable');
    await keepScreenshot(page, 'full-lab-alert-s3-stopped.png');
  } finally {
    s3('up');
    scale('openebs-lab', 'local-path-provisioner', provisioners);
  }
  await expect
    .poll(locationPhase, { timeout: 180_000, intervals: [2_000] })
    .toBe('Available');
  kubectl([
    '-n',
    namespace,
    'wait',
    '--for=jsonpath={.status.phase}=Bound',
    'pvc/data-0',
    '--timeout=120s',
  ]);
  await Promise.all([
    resolved('VeleroBackupLocationUnavailable', 120_000),
    resolved('OpenEBSVolumeClaimPending', 120_000),
  ]);
  kubectl(['delete', 'namespace', namespace, '--wait=false']);
});

test('a backup to a bucket that cannot be written fails, and the backup-failure alert fires', async () => {
  test.setTimeout(8 * 60_000);
  const bucket = path.join(
    stateEnv('env-s3', 'LAB_S3_DATA'),
    stateEnv('env-s3', 'LAB_S3_BUCKET'),
  );
  const namespace = `alerts-probe-${Date.now().toString(36)}`;
  const backup = `${namespace}-unwritable`;
  kubectl(['create', 'namespace', namespace]);
  kubectl([
    '-n',
    namespace,
    'create',
    'configmap',
    'probe',
    '--from-literal=a=b',
  ]);
  // The bucket's directory read-only under the running S3 server: reads
  // (the location's validation) work, every write fails, as on a full or
  // read-only disk.
  execFileSync('mount', ['--bind', bucket, bucket]);
  const faultAt = Date.now();
  try {
    execFileSync('mount', ['-o', 'remount,bind,ro', bucket]);
    kubectl(
      ['create', '-f', '-'],
      JSON.stringify({
        apiVersion: 'velero.io/v1',
        kind: 'Backup',
        metadata: { name: backup, namespace: 'velero' },
        spec: {
          includedNamespaces: [namespace],
          storageLocation: 'default',
          ttl: '1h0m0s',
        },
      }),
    );
    kubectl([
      '-n',
      'velero',
      'wait',
      '--for=jsonpath={.status.phase}=Failed',
      `backup/${backup}`,
      '--timeout=240s',
    ]);
    await firing(
      'VeleroBackupFailed',
      faultAt,
      'none (increase over 1h)',
      3 * 60_000,
    );
  } finally {
    execFileSync('umount', [bucket]);
    kubectl(['delete', 'namespace', namespace, '--wait=false']);
    kubectl(['-n', 'velero', 'delete', 'backup', backup, '--ignore-not-found']);
  }
});

/** The panels' queries as the template rendered the dashboard's ConfigMap. */
function dashboardQueries(): Array<{ panel: string; expr: string }> {
  const file = path.join(
    labState(),
    'platform/tree/kubernetes/apps/storage/velero/app/grafana-dashboard.yaml',
  );
  const configMap = parse(readFileSync(file, 'utf8'));
  const dashboard = JSON.parse(Object.values<string>(configMap.data)[0]);
  type Panel = {
    title: string;
    panels?: Panel[];
    targets?: { expr: string }[];
  };
  const all = (panels: Panel[]): Panel[] =>
    panels.flatMap(p => [p, ...all(p.panels ?? [])]);
  return all(dashboard.panels).flatMap(p =>
    (p.targets ?? []).map(t => ({ panel: p.title, expr: t.expr })),
  );
}

/**
 * Panels with nothing to show in this lab at this point, and why; every
 * other panel's every query must return series.
 */
const NO_DATA_HERE: Record<string, string> = {
  'OpenEBS LocalPV provisioner ready replicas':
    "the OpenEBS chart's provisioner cannot run in the lab (the stand-in does)",
  'OpenEBS volume usage': "the kubelets' volume statistics are not scraped",
  'Restore duration p95 through the portal (service level 900 s)':
    'no restore has ended through this backend yet',
  'Restore drill recovery time per service': 'no drill has passed yet',
};

test("a scheduled backup clears the missing-backup alert, and the dashboard's panels return series", async () => {
  test.setTimeout(5 * 60_000);
  // A fresh Prometheus has seen no good run of the daily schedule (02:00);
  // one kept from an earlier run may have (its memory is 25 hours).
  const missing = (await active('VeleroScheduledBackupMissing')).map(
    a => a.labels.schedule,
  );
  console.log(
    `full lab: VeleroScheduledBackupMissing firing for: ${
      missing.join(', ') || 'none'
    }`,
  );
  backUpFromSchedule(
    'velero-daily',
    `alerts-daily-${Date.now().toString(36)}`,
    {
      'velero.io/schedule-name': 'velero-daily',
    },
  );
  await resolved('VeleroScheduledBackupMissing', 120_000);

  // The portal's gauges are computed once a minute after its start.
  await expect(async () => {
    const empty = await panelsWithoutSeries();
    console.log(
      `full lab: dashboard panels without series here: ${
        empty
          .map(p => `${p} (${NO_DATA_HERE[p] ?? 'unexpected'})`)
          .join('; ') || 'none'
      }`,
    );
    expect(empty.filter(p => !(p in NO_DATA_HERE))).toEqual([]);
  }).toPass({ timeout: 150_000, intervals: [15_000] });
});

async function panelsWithoutSeries(): Promise<string[]> {
  const empty = new Set<string>();
  for (const { panel, expr } of dashboardQueries()) {
    const url = new URL('/api/v1/query', monitoring('LAB_PROMETHEUS_URL'));
    url.searchParams.set('query', expr);
    const answer = await (await fetch(url)).json();
    expect(answer.status, `${panel}: ${expr}`).toBe('success');
    if (answer.data.result.length === 0) empty.add(panel);
  }
  return [...empty];
}

test('Velero scaled to zero: the Velero-down alert fires, the tab shows it, and it resolves', async ({
  page,
}) => {
  test.setTimeout(14 * 60_000);
  const faultAt = Date.now();
  scale('velero', 'velero', 0);
  try {
    await firing('VeleroServerDown', faultAt, '5m', 9 * 60_000, {
      namespace: 'velero',
      deployment: 'velero',
    });
    await tabShows(page, 'The Velero server is not running');
    await keepScreenshot(page, 'full-lab-alert-velero-down.png');
  } finally {
    scale('velero', 'velero', 1);
  }
  kubectl([
    '-n',
    'velero',
    'rollout',
    'status',
    'deployment/velero',
    '--timeout=180s',
  ]);
  await resolved('VeleroServerDown', 120_000);
  await expect
    .poll(locationPhase, { timeout: 180_000, intervals: [2_000] })
    .toBe('Available');
});
