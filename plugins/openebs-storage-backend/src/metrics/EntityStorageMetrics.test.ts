import { metrics } from '@opentelemetry/api';
import { Entity } from '@backstage/catalog-model';
import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { mockServices } from '@backstage/backend-test-utils';
import { STORAGE_METRICS } from '@openebs-portal/plugin-openebs-storage-common';
import { DrillProof, DrillService } from '../drill/DrillService';
import { EntityStorageService } from '../storage/EntityStorageService';
import {
  Series,
  startPrometheusScrape,
} from '../__testUtils__/prometheusScrape';
import { EntityStorageMetrics } from './EntityStorageMetrics';

const shop: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop', namespace: 'default' },
  spec: { owner: 'group:default/team-shop' },
};

/** shop with one unprotected volume; its drill proof set by each test. */
function metricsOf(world: { entities: Entity[]; proof?: DrillProof }) {
  const storage = {
    getEntityStorage: async () => ({
      entityRef: 'component:default/shop',
      health: { status: 'unprotected' },
      clusters: [
        {
          volumes: [{ phase: 'Bound', health: { status: 'unprotected' } }],
        },
      ],
    }),
  } as unknown as EntityStorageService;
  const drills = {
    withProof: async (_: Entity, status: unknown) => ({
      storage: status,
      proof: world.proof,
    }),
  } as unknown as DrillService;
  return new EntityStorageMetrics({
    // Backstage's metrics service hands out the global provider's meters.
    metrics: metrics.getMeter('test') as unknown as MetricsService,
    storage,
    drills,
    listEntities: async () => world.entities,
    logger: mockServices.logger.mock(),
  });
}

const value = (all: Series[], name: string, labels = {}) =>
  all.find(
    s =>
      s.name === name &&
      s.labels.entity === 'component:default/shop' &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;

describe('EntityStorageMetrics, scraped from the Prometheus exporter', () => {
  let prometheus: Awaited<ReturnType<typeof startPrometheusScrape>>;

  beforeEach(async () => {
    prometheus = await startPrometheusScrape();
  });

  afterEach(async () => {
    await prometheus.stop();
    metrics.disable();
  });

  it('turns a series whose subject is gone to NaN, so its alerts resolve, instead of keeping its last value', async () => {
    const world = {
      entities: [shop],
      proof: { lastJudged: 'failed', unverified: 'the last drill failed' },
    } as { entities: Entity[]; proof?: DrillProof };
    const gauges = metricsOf(world);
    await gauges.refresh();
    let all = await prometheus.scrape();
    expect(value(all, STORAGE_METRICS.unverified)).toBe(1);
    expect(value(all, STORAGE_METRICS.drillPassed)).toBe(0);

    // No longer enrolled: no drill gauges for shop.
    world.proof = undefined;
    await gauges.refresh();
    all = await prometheus.scrape();
    expect(value(all, STORAGE_METRICS.unverified)).toBeNaN();
    expect(value(all, STORAGE_METRICS.drillPassed)).toBeNaN();
    expect(
      value(all, STORAGE_METRICS.entityVolumes, { state: 'unprotected' }),
    ).toBe(1);

    // Gone from the catalog: every series of it, and they stay NaN.
    world.entities = [];
    await gauges.refresh();
    await prometheus.scrape();
    all = await prometheus.scrape();
    expect(
      value(all, STORAGE_METRICS.entityVolumes, { state: 'unprotected' }),
    ).toBeNaN();
    expect(value(all, STORAGE_METRICS.unverified)).toBeNaN();
  });
});
