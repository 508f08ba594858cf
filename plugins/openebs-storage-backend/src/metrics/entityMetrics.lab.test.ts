import { metricsServiceFactory } from '@backstage/backend-defaults/alpha';
import { Entity } from '@backstage/catalog-model';
import { STORAGE_METRICS } from '@openebs-portal/plugin-openebs-storage-common';
import { fixtures, LabAdmin, labCluster } from '@openebs-portal/lab-testkit';
import {
  labClusterConfig,
  startStorageTestBackend,
  StorageTestBackend,
} from '../__testUtils__/testBackend';
import {
  Series,
  startPrometheusScrape,
} from '../__testUtils__/prometheusScrape';
import { claimWithPod, completedRun } from '../__testUtils__/scheduledVolume';

/*
 * The per-entity gauges as Prometheus scrapes them: Backstage's own metrics
 * service, an OpenTelemetry MeterProvider with the Prometheus exporter (as a
 * deployment's instrumentation sets up), the plugin's caches of the real
 * kube-apiserver from lab/. A hostile entity that names another team's
 * namespace gets no series of that team's volumes.
 */

jest.setTimeout(60_000);

const lab = labCluster();
const admin = new LabAdmin(lab);
const run = Math.random().toString(36).slice(2, 8);
const TEAM_A = 'group:default/team-a';

const namespaceOf = (key: string) => `metrics-${key}-${run}`;

function entity(
  key: string,
  options: { owner?: string; namespace?: string; drill?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: key,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': key,
        'backstage.io/kubernetes-namespace':
          options.namespace ?? namespaceOf(key),
        ...(options.drill && { 'openebs.io/restore-drill': options.drill }),
      },
    },
    spec: {
      type: 'service',
      owner: options.owner ?? 'team-a',
      lifecycle: 'production',
    },
  };
}

/** Team A's claim and pod in the key's namespace, and optionally a backup. */
async function workload(
  key: string,
  backup?: { cron: string; hoursAgo: number },
) {
  const namespace = namespaceOf(key);
  const claimUid = await claimWithPod(admin, {
    namespace,
    id: key,
    owner: TEAM_A,
  });
  if (!backup) return;
  const schedule = `${key}-${run}`;
  await admin.apply(
    fixtures.schedule({
      name: schedule,
      namespaces: [namespace],
      cron: backup.cron,
    }),
  );
  await completedRun(admin, {
    namespace,
    id: key,
    schedule,
    name: `${schedule}-1`,
    hoursAgo: backup.hoursAgo,
    claimUid,
  });
}

describe('per-entity storage metrics, scraped from the Prometheus exporter', () => {
  let backend: StorageTestBackend;
  let prometheus: Awaited<ReturnType<typeof startPrometheusScrape>>;

  function valueOf(
    all: Series[],
    name: string,
    key: string,
    labels: Record<string, string> = {},
  ): number | undefined {
    const found = all.filter(
      s =>
        s.name === name &&
        s.labels.entity === `component:default/${key}` &&
        Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
    if (found.length > 1) throw new Error(`Several ${name} for ${key}`);
    return found[0]?.value;
  }

  beforeAll(async () => {
    prometheus = await startPrometheusScrape();

    for (const manifest of fixtures.storageClasses()) {
      await admin.apply(manifest);
    }
    await admin.apply(fixtures.node('lab-node-1'));
    await workload('fresh', { cron: '0 * * * *', hoursAgo: 1 / 60 });
    await workload('late', { cron: '0 2 * * *', hoursAgo: 26 });
    await workload('enrolled');

    backend = await startStorageTestBackend({
      clusters: [labClusterConfig(lab)],
      entities: [
        entity('fresh'),
        entity('late'),
        entity('enrolled', { drill: 'weekly' }),
        // Team B's entity points at team A's namespace.
        entity('thief', { owner: 'team-b', namespace: namespaceOf('fresh') }),
      ],
      modules: [metricsServiceFactory],
    });
  });

  afterAll(async () => {
    await backend?.backend.stop();
    await prometheus?.stop();
  });

  /** Refreshes the gauges until the caches have every entity's volume. */
  async function scrapeWhenSynced(): Promise<Series[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      await backend.refreshMetrics();
      const all = await prometheus.scrape();
      const counted = ['fresh', 'late', 'enrolled'].every(
        key =>
          volumeTotal(all, key) === 1 &&
          valueOf(all, STORAGE_METRICS.entityHealth, key, {
            state: 'unknown',
          }) === 0,
      );
      if (counted) return all;
      if (Date.now() > deadline) {
        throw new Error(
          `Gauges never counted every volume; last scrape: ${JSON.stringify(
            all.filter(s => s.name.startsWith('openebs_storage')),
          )}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }

  function volumeTotal(all: Series[], key: string): number {
    return all
      .filter(
        s =>
          s.name === STORAGE_METRICS.entityVolumes &&
          s.labels.entity === `component:default/${key}`,
      )
      .reduce((sum, s) => sum + s.value, 0);
  }

  it('exports protection, recovery point and drill gauges with entity and owner labels', async () => {
    const all = await scrapeWhenSynced();
    const health = (key: string) =>
      all
        .filter(
          s =>
            s.name === STORAGE_METRICS.entityHealth &&
            s.labels.entity === `component:default/${key}` &&
            s.value === 1,
        )
        .map(s => s.labels.state);

    expect(health('fresh')).toEqual(['protected']);
    expect(
      valueOf(all, STORAGE_METRICS.entityVolumes, 'fresh', {
        state: 'protected',
        owner: TEAM_A,
      }),
    ).toBe(1);
    expect(valueOf(all, STORAGE_METRICS.overdueVolumes, 'fresh')).toBe(0);
    const freshAge = valueOf(all, STORAGE_METRICS.recoveryPointAge, 'fresh')!;
    expect(freshAge).toBeGreaterThanOrEqual(55);
    expect(freshAge).toBeLessThan(300);

    expect(health('late')).toEqual(['at-risk']);
    expect(valueOf(all, STORAGE_METRICS.overdueVolumes, 'late')).toBe(1);
    expect(
      valueOf(all, STORAGE_METRICS.recoveryPointAge, 'late')! / 3600,
    ).toBeCloseTo(26, 1);

    // Enrolled with no drill yet: unverified, and no verdict series.
    expect(health('enrolled')).toEqual(['unprotected']);
    expect(valueOf(all, STORAGE_METRICS.unverified, 'enrolled')).toBe(1);
    expect(
      valueOf(all, STORAGE_METRICS.drillPassed, 'enrolled'),
    ).toBeUndefined();
    // Not enrolled: no drill series at all.
    expect(valueOf(all, STORAGE_METRICS.unverified, 'fresh')).toBeUndefined();
  });

  it("gives a hostile entity no series of another team's volumes", async () => {
    const all = await scrapeWhenSynced();
    expect(volumeTotal(all, 'thief')).toBe(0);
    expect(
      valueOf(all, STORAGE_METRICS.entityVolumes, 'thief', {
        state: 'protected',
        owner: 'group:default/team-b',
      }),
    ).toBe(0);
    expect(
      valueOf(all, STORAGE_METRICS.recoveryPointAge, 'thief'),
    ).toBeUndefined();
    expect(valueOf(all, STORAGE_METRICS.overdueVolumes, 'thief')).toBe(0);
  });

  it('exports every gauge the platform alert rules are written against', async () => {
    const names = new Set((await scrapeWhenSynced()).map(s => s.name));
    // The restore counter and histogram appear with the first restore
    // outcome (restoreOutcomes.test.ts), the drill verdicts with a drill.
    const {
      restores,
      restoreDuration,
      drillPassed,
      drillRecoverySeconds,
      ...always
    } = STORAGE_METRICS;
    for (const name of Object.values(always)) {
      expect(names).toContain(name);
    }
  });
});
