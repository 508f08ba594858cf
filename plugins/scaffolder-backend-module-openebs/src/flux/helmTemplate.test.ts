import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { createWorkspace } from '../__testUtils__/actionContext';
import { chartArchive, PLATFORM_SPEC } from '../__testUtils__/charts';
import { requireTool, TOOL_BUILD_TIMEOUT_MS } from '../__testUtils__/tools';
import { memoryMi } from '../validate/ManifestValidator';
import { generatePlatform, PLATFORM_CHARTS } from './PlatformGenerator';

/**
 * The platform's HelmReleases rendered by the real helm from the pinned charts
 * with exactly the values we generate: what Flux's helm-controller would
 * apply. The plan is checked on the rendered objects, not only on our values.
 */
describe('platform charts rendered by helm with our values', () => {
  let helm: string;
  let dir: string;
  const { files } = generatePlatform(PLATFORM_SPEC);
  const releases = files
    .flatMap(f => parseAllDocuments(f.content).map(d => d.toJS()))
    .filter(o => o?.kind === 'HelmRelease');

  beforeAll(async () => {
    helm = requireTool('helm');
    dir = await createWorkspace();
  }, TOOL_BUILD_TIMEOUT_MS);

  async function render(
    chart: { name: string; version: string },
    namespace: string,
  ) {
    const release = releases.find(r => r.spec.chart.spec.chart === chart.name);
    const values = join(dir, `${chart.name}.values.yaml`);
    await fs.writeFile(values, stringify(release.spec.values));
    const out = execFileSync(
      helm,
      [
        'template',
        release.metadata.name,
        chartArchive(chart.name, chart.version),
        '--namespace',
        namespace,
        '--values',
        values,
        // As in a cluster with the Prometheus operator's CRDs.
        '--api-versions',
        'monitoring.coreos.com/v1',
      ],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          HELM_CACHE_HOME: dir,
          HELM_CONFIG_HOME: dir,
          HELM_DATA_HOME: dir,
        },
      },
    );
    return parseAllDocuments(out)
      .map(d => d.toJS())
      .filter(Boolean);
  }

  /** Every container of every workload, with its memory limit. */
  function containers(objects: any[]) {
    return objects
      .filter(o => ['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind))
      .flatMap(o =>
        [
          ...(o.spec.template.spec.initContainers ?? []),
          ...o.spec.template.spec.containers,
        ].map((c: any) => ({
          workload: `${o.kind}/${o.metadata.name}`,
          container: c.name,
          limit: c.resources?.limits?.memory,
        })),
      );
  }

  it('localpv-provisioner: 3 replicas with leader election, the default hostpath class, no analytics', async () => {
    const objects = await render(PLATFORM_CHARTS.localpv, 'kube-system');
    const deployment = objects.find(o => o.kind === 'Deployment');
    expect(deployment.spec.replicas).toBe(3);
    const env = Object.fromEntries(
      deployment.spec.template.spec.containers[0].env.map((e: any) => [
        e.name,
        e.value,
      ]),
    );
    expect(env).toMatchObject({
      LEADER_ELECTION_ENABLED: 'true',
      OPENEBS_IO_ENABLE_ANALYTICS: 'false',
    });
    const classes = objects.filter(o => o.kind === 'StorageClass');
    expect(
      classes.map(c => [
        c.metadata.name,
        c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'],
      ]),
    ).toEqual([['openebs-localpv-hostpath', 'true']]);
    expect(containers(objects)).toEqual([
      expect.objectContaining({ limit: '256Mi' }),
    ]);
  });

  it('velero: FSB with node-agent, the S3 location, the daily schedule, monitoring', async () => {
    const objects = await render(PLATFORM_CHARTS.velero, 'velero');
    const kinds = objects.map(o => `${o.kind}/${o.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Deployment/velero',
        'DaemonSet/node-agent',
        'BackupStorageLocation/default',
        'Schedule/velero-daily',
        'ServiceMonitor/velero',
        'PodMonitor/node-agent',
        'PrometheusRule/velero',
      ]),
    );
    expect(kinds.some(k => k.startsWith('VolumeSnapshotLocation/'))).toBe(
      false,
    );
    expect(kinds.some(k => k.startsWith('Secret/'))).toBe(false); // ours, SOPS

    const bsl = objects.find(o => o.kind === 'BackupStorageLocation');
    expect(bsl.spec).toMatchObject({
      provider: 'aws',
      default: true,
      objectStorage: { bucket: 'openebs-backups' },
      credential: { name: 'velero-s3-secret', key: 'cloud' },
      config: {
        s3Url: 'https://s3.68cc.io',
        s3ForcePathStyle: 'true',
        checksumAlgorithm: '',
      },
    });
    const schedule = objects.find(o => o.kind === 'Schedule');
    // The chart writes the field only when true; Velero's default is false.
    expect(schedule.spec.useOwnerReferencesInBackup ?? false).toBe(false);
    expect(schedule.spec).toMatchObject({
      schedule: '0 2 * * *',
      template: {
        ttl: '720h0m0s',
        defaultVolumesToFsBackup: true,
        snapshotVolumes: false,
        labelSelector: {
          matchLabels: { 'backup.openebs-portal.io/schedule': 'daily' },
        },
      },
    });

    const server = objects.find(o => o.kind === 'Deployment');
    const args: string[] = server.spec.template.spec.containers[0].args;
    expect(args).toEqual(
      expect.arrayContaining([
        '--uploader-type=kopia',
        '--log-format=json',
        '--default-volumes-to-fs-backup',
      ]),
    );
    expect(server.spec.template.spec.initContainers[0]).toMatchObject({
      name: 'velero-plugin-for-aws',
      volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
    });
    const rules = objects.find(o => o.kind === 'PrometheusRule');
    expect(rules.spec.groups[0].rules.map((r: any) => r.alert)).toContain(
      'VeleroNoRecentBackup',
    );
  });

  it.each(Object.values(PLATFORM_CHARTS))(
    '$name: the memory limit of every storage control-plane container',
    async chart => {
      const objects = await render(
        chart,
        chart.name === 'velero' ? 'velero' : 'kube-system',
      );
      const all = containers(objects);
      expect(all.length).toBeGreaterThan(0);
      // NFR-SCALE-001: under 500Mi. A container without a limit is listed.
      expect(all.filter(c => !((memoryMi(c.limit) ?? Infinity) < 500))).toEqual(
        [],
      );
    },
  );
});
