import { parseAllDocuments } from 'yaml';
import { createWorkspace } from '../__testUtils__/actionContext';
import { chartArchive, PLATFORM_SPEC } from '../__testUtils__/charts';
import {
  helmTemplate,
  requireTool,
  TOOL_BUILD_TIMEOUT_MS,
} from '../__testUtils__/tools';
import { memoryMi } from '../validate/quantity';
import {
  generatePlatform,
  LOCALPV_DEPLOYMENT,
  PLATFORM_CHARTS,
  VELERO_RESOURCE_POLICY,
} from './PlatformGenerator';

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
    return helmTemplate(helm, {
      release: release.metadata.name,
      chartArchive: chartArchive(chart.name, chart.version),
      namespace,
      values: release.spec.values,
      workDir: dir,
    });
  }

  /**
   * Every container of every object that runs pods, with its memory limit:
   * workloads, and the Jobs, CronJobs and Pods a chart renders as hooks
   * (helm template renders hooks too).
   */
  function containers(objects: any[]) {
    const podSpec = (o: any) => {
      if (o.kind === 'Pod') return o.spec;
      if (o.kind === 'CronJob') return o.spec.jobTemplate.spec.template.spec;
      return o.spec.template.spec;
    };
    return objects
      .filter(o =>
        [
          'Deployment',
          'DaemonSet',
          'StatefulSet',
          'Job',
          'CronJob',
          'Pod',
        ].includes(o.kind),
      )
      .flatMap(o =>
        [...(podSpec(o).initContainers ?? []), ...podSpec(o).containers].map(
          (c: any) => ({
            workload: `${o.kind}/${o.metadata.name}`,
            container: c.name,
            limit: c.resources?.limits?.memory,
          }),
        ),
      );
  }

  it('localpv-provisioner: 3 replicas with leader election, the default hostpath class, no analytics', async () => {
    const objects = await render(PLATFORM_CHARTS.localpv, 'kube-system');
    const deployment = objects.find(o => o.kind === 'Deployment');
    // The provisioner alert and dashboard panel select it by this name.
    expect(deployment.metadata.name).toBe(LOCALPV_DEPLOYMENT);
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

  it.each([
    ['xfs', 'XFSQuota'],
    ['ext4', 'EXT4Quota'],
  ] as const)(
    'localpv-provisioner: quota %s puts %s at the claim size on the hostpath class',
    async (quota, option) => {
      const release = generatePlatform({
        ...PLATFORM_SPEC,
        openebs: { ...PLATFORM_SPEC.openebs, quota },
      })
        .files.flatMap(f => parseAllDocuments(f.content).map(d => d.toJS()))
        .find(
          o =>
            o?.kind === 'HelmRelease' && o.metadata.name === 'openebs-localpv',
        );
      const objects = await helmTemplate(helm, {
        release: release.metadata.name,
        chartArchive: chartArchive(
          PLATFORM_CHARTS.localpv.name,
          PLATFORM_CHARTS.localpv.version,
        ),
        namespace: 'kube-system',
        values: release.spec.values,
        workDir: dir,
      });
      const hostpath = objects.find(o => o.kind === 'StorageClass');
      // The provisioner reads its options from this annotation's YAML.
      const config = parseAllDocuments(
        hostpath.metadata.annotations['cas.openebs.io/config'],
      )[0].toJS();
      expect(config).toContainEqual({
        name: option,
        enabled: 'true',
        data: { softLimitGrace: '0%', hardLimitGrace: '0%' },
      });
      expect(JSON.stringify(config)).not.toMatch(
        option === 'XFSQuota' ? /EXT4Quota/ : /XFSQuota/,
      );
    },
  );

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
        resourcePolicy: { kind: 'configmap', name: VELERO_RESOURCE_POLICY },
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
    // The plugin's compatibility table pairs v1.14.x with Velero v1.18.x.
    expect(server.spec.template.spec.containers[0].image).toBe(
      'docker.io/velero/velero:v1.18.1',
    );
    expect(server.spec.template.spec.initContainers[0]).toMatchObject({
      name: 'velero-plugin-for-aws',
      image: 'velero/velero-plugin-for-aws:v1.14.3',
      volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
    });
    const rules = objects.find(o => o.kind === 'PrometheusRule');
    expect(rules.spec.groups[0].rules.map((r: any) => r.alert)).toContain(
      'VeleroNoRecentBackup',
    );
  });

  it("velero: a CA bundle reaches the rendered location's caCert", async () => {
    const pem =
      '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n';
    const withCa = generatePlatform({
      ...PLATFORM_SPEC,
      velero: { ...PLATFORM_SPEC.velero, caCert: pem },
    })
      .files.flatMap(f => parseAllDocuments(f.content).map(d => d.toJS()))
      .find(o => o?.kind === 'HelmRelease' && o.metadata.name === 'velero');
    const objects = await helmTemplate(helm, {
      release: 'velero',
      chartArchive: chartArchive('velero', PLATFORM_CHARTS.velero.version),
      namespace: 'velero',
      values: withCa.spec.values,
      workDir: dir,
    });
    const bsl = objects.find(o => o.kind === 'BackupStorageLocation');
    expect(
      Buffer.from(bsl.spec.objectStorage.caCert, 'base64').toString('utf8'),
    ).toBe(pem);
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
