import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';

/** Debian's package names it prometheus-alertmanager; upstream, alertmanager. */
function alertmanagerBinary(): string {
  for (const name of ['prometheus-alertmanager', 'alertmanager']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], {
        encoding: 'utf8',
      }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error(
    'No Alertmanager on PATH: scripts/prereqs.sh prometheus-alertmanager installs it',
  );
}

/** A local port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

/**
 * A real Alertmanager on a free local port, alone (no cluster peers), with a
 * route that notifies no one. Alerts are posted to it as Prometheus would.
 */
export async function startAlertmanager() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alertmanager-'));
  fs.writeFileSync(
    path.join(dir, 'alertmanager.yml'),
    "route:\n  receiver: 'none'\nreceivers:\n  - name: 'none'\n",
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    alertmanagerBinary(),
    [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`).then(
      r => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`Alertmanager did not become ready at ${url}`);
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return {
    url,
    /** Posts firing alerts, as Prometheus does (`POST /api/v2/alerts`). */
    async fire(
      alerts: Array<{
        labels: Record<string, string>;
        annotations?: Record<string, string>;
      }>,
    ) {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(
          alerts.map(a => ({
            ...a,
            startsAt: new Date(Date.now() - 60_000).toISOString(),
          })),
        ),
      });
      if (!response.ok) {
        throw new Error(`Alertmanager refused alerts: ${response.status}`);
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise(resolve => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
