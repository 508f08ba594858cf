/*
 * The full lab's Alertmanager as the stories read it (lab/scripts/
 * monitoring.sh runs it with Prometheus evaluating the template's rules):
 * the alerts firing now, waiting for one to fire or resolve, and the
 * Storage tab's "Firing alerts" card. The time from each fault to its alert
 * is kept in e2e/artifacts/alert-timings.json (docs/benchmarks.md).
 */
import { expect, Page } from '@playwright/test';
import { mergeArtifactJson } from '../portal';
import { stateEnv } from './fullLab';

export type Alert = {
  labels: Record<string, string>;
  startsAt: string;
  status: { state: string };
};

const timings: Record<string, { faultToFiringS: number; forWindow: string }> =
  {};

/** The lab's monitoring (lab/scripts/monitoring.sh): its URLs. */
export function monitoring(name: string): string {
  return stateEnv('env-monitoring', name);
}

/** The active (firing, not silenced) alerts of that name in Alertmanager. */
export async function active(alertname: string): Promise<Alert[]> {
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

/** Waits until the alert fires, and records the time from the fault to its start. */
export async function firing(
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
        found = (await active(alertname)).find(a => hasLabels(a, labels));
        return found !== undefined;
      },
      { timeout: timeoutMs, intervals: [5_000], message: `${alertname} fires` },
    )
    .toBe(true);
  // From the alert's own start (Prometheus's firing time), not from when
  // this poll saw it: a story may look long after the window ended.
  const faultToFiringS = Math.round(
    (Date.parse(found!.startsAt) - faultAt) / 1000,
  );
  if (faultToFiringS < 0) {
    // Still firing from an earlier fault (a lab kept between runs, an
    // `increase(…[1h])` rule): no time to report.
    console.log(
      `full lab: ${alertname} already firing since ${
        found!.startsAt
      }, before this fault`,
    );
    return found!;
  }
  timings[alertname] = { faultToFiringS, forWindow };
  console.log(
    `full lab: ${alertname} firing in Alertmanager ${faultToFiringS} s after the fault (for: ${forWindow})`,
  );
  return found!;
}

/** Waits until no alert of that name (with those labels) is active. */
export async function resolved(
  alertname: string,
  timeoutMs: number,
  labels: Record<string, string> = {},
) {
  await expect
    .poll(
      async () =>
        (await active(alertname)).filter(a => hasLabels(a, labels)).length,
      {
        timeout: timeoutMs,
        intervals: [5_000],
        message: `${alertname} resolves`,
      },
    )
    .toBe(0);
}

function hasLabels(alert: Alert, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([k, v]) => alert.labels[k] === v);
}

/** The open tab's "Firing alerts" card shows a line with that text. */
export async function firingAlertShown(page: Page, text: string) {
  const table = page.getByRole('table', { name: 'Firing alerts' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(table).toContainText(text, { timeout: 5_000 });
  }).toPass({ timeout: 60_000, intervals: [5_000] });
}

/** Adds this run's times to e2e/artifacts/alert-timings.json. */
export function writeAlertTimings() {
  mergeArtifactJson('alert-timings.json', timings);
}
