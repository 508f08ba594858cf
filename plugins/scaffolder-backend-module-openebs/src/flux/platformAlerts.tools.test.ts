import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, parseDocument, stringify } from 'yaml';
import { createWorkspace } from '../__testUtils__/actionContext';
import { chartArchive, PLATFORM_SPEC } from '../__testUtils__/charts';
import {
  helmTemplate,
  requirePromtool,
  requireTool,
  TOOL_BUILD_TIMEOUT_MS,
} from '../__testUtils__/tools';
import { generatePlatform } from './PlatformGenerator';

const run = promisify(execFile);

/** The committed promtool unit tests; they load platform-rules.yaml beside them. */
// Test fixture: read from the source tree, never part of a build.
// eslint-disable-next-line no-restricted-syntax
const ALERT_TESTS = resolve(
  __dirname,
  '__promtool__/platform-alerts.test.yaml',
);
const RULES_FILE = 'platform-rules.yaml';
/** promtool evaluates a day of samples per case: over a minute on a busy 2-core machine. */
const PROMTOOL_TIMEOUT_MS = 180_000;

/**
 * The alerts each promtool test file covers: `firing` those with a case that
 * expects alerts, `quiet` those with a case that expects none.
 */
function alertCases(testFile: any): { firing: string[]; quiet: string[] } {
  const firing = new Set<string>();
  const quiet = new Set<string>();
  for (const t of testFile.tests ?? []) {
    for (const c of t.alert_rule_test ?? []) {
      (c.exp_alerts?.length ? firing : quiet).add(c.alertname);
    }
  }
  return { firing: [...firing].sort(), quiet: [...quiet].sort() };
}

/**
 * The platform's PrometheusRules as the cluster gets them: those in the
 * generated tree, and those the HelmReleases' charts render from our values
 * (Velero's rules live in the velero chart's `metrics.prometheusRule`).
 */
describe("the platform's PrometheusRules under promtool test rules", () => {
  let promtool: string;
  let dir: string;
  let groups: unknown[];
  let alerts: string[];

  beforeAll(async () => {
    promtool = requirePromtool();
    const helm = requireTool('helm');
    dir = await createWorkspace();
    const { files } = generatePlatform(PLATFORM_SPEC);
    const content = new Map(files.map(f => [f.path, f.content]));
    const objects: any[] = [];
    for (const f of files) {
      for (const obj of parseAllDocuments(f.content).map(d => d.toJS())) {
        if (obj?.kind !== 'HelmRelease') {
          objects.push(obj);
          continue;
        }
        // The release's namespace: its Flux Kustomization's targetNamespace
        // (<app>/ks.yaml, one level above <app>/app/).
        const ks = parseDocument(
          content.get(posix.join(posix.dirname(f.path), '../ks.yaml')) ?? '',
        ).toJS();
        const chart = obj.spec.chart.spec;
        objects.push(
          ...(await helmTemplate(helm, {
            release: obj.metadata.name,
            chartArchive: chartArchive(chart.chart, chart.version),
            namespace: ks.spec.targetNamespace,
            values: obj.spec.values,
            workDir: dir,
          })),
        );
      }
    }
    groups = objects
      .filter(o => o?.kind === 'PrometheusRule')
      .flatMap(o => o.spec.groups);
    alerts = groups
      .flatMap((g: any) => g.rules.map((r: any) => r.alert))
      .filter(Boolean)
      .sort();
    await fs.writeFile(join(dir, RULES_FILE), stringify({ groups }));
  }, TOOL_BUILD_TIMEOUT_MS);

  /** `promtool test rules` on a test file in `dir`; its exit and output. */
  async function promtoolTest(testFile: string) {
    const path = join(dir, testFile);
    try {
      const { stdout, stderr } = await run(promtool, ['test', 'rules', path], {
        cwd: dirname(path),
      });
      return { ok: true, output: stdout + stderr };
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      return {
        ok: false,
        output: `${err.stdout ?? ''}${err.stderr ?? err.message}`,
      };
    }
  }

  it("renders the rules of OpenEBS, Velero and the portal's per-entity gauges", () => {
    expect(groups.map((g: any) => g.name).sort()).toEqual([
      'openebs-localpv',
      'openebs-portal-entities',
      'velero',
    ]);
  });

  it('has a firing and a quiet case for every alert, and none for an unknown one', async () => {
    const cases = alertCases(
      parseDocument(await fs.readFile(ALERT_TESTS, 'utf8')).toJS(),
    );
    expect(cases).toEqual({ firing: alerts, quiet: alerts });
  });

  it(
    'passes every case',
    async () => {
      await fs.copyFile(ALERT_TESTS, join(dir, 'platform-alerts.test.yaml'));
      const result = await promtoolTest('platform-alerts.test.yaml');
      // On failure, promtool's own report (which case, expected and got).
      expect(result.ok ? 'ok' : result.output).toBe('ok');
      expect(result.output).toContain('SUCCESS');
    },
    PROMTOOL_TIMEOUT_MS,
  );

  it(
    'fails a case whose expected annotations differ (promtool compares them exactly)',
    async () => {
      const doc = parseDocument(await fs.readFile(ALERT_TESTS, 'utf8')).toJS();
      const firing = doc.tests
        .flatMap((t: any) => t.alert_rule_test)
        .find((c: any) => c.exp_alerts?.length);
      firing.exp_alerts[0].exp_annotations.summary += ' (changed)';
      await fs.writeFile(join(dir, 'changed.test.yaml'), stringify(doc));
      const result = await promtoolTest('changed.test.yaml');
      expect(result.ok).toBe(false);
      expect(result.output).toContain(`alertname: ${firing.alertname}`);
    },
    PROMTOOL_TIMEOUT_MS,
  );

  it('the coverage check catches an alert without a firing case', async () => {
    const doc = parseDocument(await fs.readFile(ALERT_TESTS, 'utf8')).toJS();
    for (const t of doc.tests) {
      t.alert_rule_test = t.alert_rule_test.filter(
        (c: any) =>
          !(c.alertname === 'VeleroBackupFailed' && c.exp_alerts?.length),
      );
    }
    expect(alertCases(doc).firing).not.toContain('VeleroBackupFailed');
    expect(alertCases(doc).quiet).toContain('VeleroBackupFailed');
  });
});
