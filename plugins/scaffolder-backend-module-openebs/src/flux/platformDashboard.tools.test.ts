import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { createWorkspace } from '../__testUtils__/actionContext';
import { requirePromtool } from '../__testUtils__/tools';
import { DASHBOARD_ROWS, platformDashboard } from './platformDashboard';

const run = promisify(execFile);

/** `promtool check rules` of the expressions as recording rules. */
async function promtoolParses(exprs: string[]) {
  const dir = await createWorkspace();
  const file = join(dir, 'dashboard-queries.yaml');
  await fs.writeFile(
    file,
    stringify({
      groups: [
        {
          name: 'dashboard-queries',
          rules: exprs.map((expr, i) => ({
            record: `dashboard:query_${i}`,
            expr,
          })),
        },
      ],
    }),
  );
  try {
    const { stdout } = await run(requirePromtool(), ['check', 'rules', file]);
    return { ok: true, output: stdout };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('the platform dashboard (Grafana Foundation SDK)', () => {
  const dashboard = platformDashboard() as any;
  const panels = dashboard.panels as any[];
  const queries = DASHBOARD_ROWS.flatMap(r => r.panels).flatMap(p =>
    p.queries.map(q => q.expr),
  );

  it('has a row per part of the platform and its panels, every query on the Prometheus variable', () => {
    expect(dashboard).toMatchObject({
      uid: 'openebs-velero',
      title: 'OpenEBS LocalPV + Velero',
      templating: {
        list: [
          expect.objectContaining({
            name: 'datasource',
            type: 'datasource',
            query: 'prometheus',
          }),
        ],
      },
    });
    expect(panels.filter(p => p.type === 'row').map(p => p.title)).toEqual(
      DASHBOARD_ROWS.map(r => r.title),
    );
    const series = panels.filter(p => p.type === 'timeseries');
    expect(series.map(p => p.title)).toEqual(
      DASHBOARD_ROWS.flatMap(r => r.panels.map(p => p.title)),
    );
    for (const panel of series) {
      expect(panel.datasource).toEqual({
        type: 'prometheus',
        uid: '${datasource}',
      });
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const target of panel.targets) {
        expect(target).toMatchObject({
          expr: expect.any(String),
          refId: expect.stringMatching(/^[A-Z]$/),
        });
      }
    }
    // One id per panel, rows included.
    const ids = panels.map(p => p.id);
    expect(ids.every(i => i > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Laid out by the SDK: no two panels on the same spot.
    const spots = panels.map(p => `${p.gridPos.x},${p.gridPos.y}`);
    expect(new Set(spots).size).toBe(spots.length);
  });

  it('has only queries Prometheus can parse (promtool)', async () => {
    const result = await promtoolParses(queries);
    expect(result.ok ? 'ok' : result.output).toBe('ok');
    expect(result.output).toContain(`${queries.length} rules found`);
  }, 60_000);

  it('the check catches a query Prometheus cannot parse', async () => {
    const result = await promtoolParses([
      ...queries,
      'sum by (schedule (velero_backup_success_total)',
    ]);
    expect(result.ok).toBe(false);
  }, 60_000);
});
