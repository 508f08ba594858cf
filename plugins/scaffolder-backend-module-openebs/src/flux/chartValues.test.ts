import { execFileSync } from 'node:child_process';
import { parseAllDocuments, parseDocument } from 'yaml';
import { chartArchive, PLATFORM_SPEC } from '../__testUtils__/charts';
import { generatePlatform, PLATFORM_CHARTS } from './PlatformGenerator';

function chartValues(name: string, version: string): unknown {
  const tgz = chartArchive(name, version);
  return parseDocument(
    execFileSync('tar', ['-xzOf', tgz, `${name}/values.yaml`], {
      encoding: 'utf8',
    }),
  ).toJS();
}

/**
 * Every key we set must exist in the chart's own values.yaml, down to where
 * the chart leaves a free-form map, a list or null. A misspelt key would be
 * silently ignored by Helm.
 */
function unknownKeys(ours: unknown, chart: unknown, path = ''): string[] {
  if (!ours || typeof ours !== 'object' || Array.isArray(ours)) return [];
  if (
    chart === null ||
    chart === undefined ||
    Array.isArray(chart) ||
    typeof chart !== 'object' ||
    Object.keys(chart as object).length === 0
  ) {
    return [];
  }
  return Object.entries(ours as Record<string, unknown>).flatMap(([k, v]) =>
    k in (chart as object)
      ? unknownKeys(v, (chart as any)[k], `${path}${k}.`)
      : [`${path}${k}`],
  );
}

describe('platform HelmRelease values against the pinned charts', () => {
  const { files } = generatePlatform(PLATFORM_SPEC);
  const releases = files
    .flatMap(f => parseAllDocuments(f.content).map(d => d.toJS()))
    .filter(o => o?.kind === 'HelmRelease');

  it.each(Object.values(PLATFORM_CHARTS))(
    '$name $version: every value key exists in the chart',
    chart => {
      const release = releases.find(
        r => r.spec.chart.spec.chart === chart.name,
      );
      expect(release.spec.chart.spec.version).toBe(chart.version);
      expect(
        unknownKeys(
          release.spec.values,
          chartValues(chart.name, chart.version),
        ),
      ).toEqual([]);
    },
  );

  it('the check itself catches a misspelt key', () => {
    expect(
      unknownKeys(
        { localpv: { replica: 3 } },
        chartValues('localpv-provisioner', '4.0.0'),
      ),
    ).toEqual(['localpv.replica']);
  });
});
