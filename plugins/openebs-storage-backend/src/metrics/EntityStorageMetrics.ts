import { LoggerService } from '@backstage/backend-plugin-api';
import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { STORAGE_METRICS } from '@openebs-portal/plugin-openebs-storage-common';
import { DrillService } from '../drill/DrillService';
import { EntityStorageService } from '../storage/EntityStorageService';
import { entityOwnerRefs } from '../tenancy/NamespaceOwnership';
import { EntitySample, PROTECTION_STATES, sampleEntity } from './entitySample';

export interface EntityStorageMetricsOptions {
  metrics: MetricsService;
  storage: EntityStorageService;
  drills: DrillService;
  /** The catalog's entities that have Kubernetes objects. */
  listEntities: () => Promise<Entity[]>;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * Per-entity gauges an owning team can alert on, with `entity` and `owner`
 * labels: protection state, volumes per state, the oldest recovery point,
 * overdue volumes, and for enrolled entities the last drill's verdict and
 * recovery time.
 *
 * The gauges are computed by `refresh()` on a timer, not at scrape time: a
 * scrape only reads the last samples, so it costs the same however large
 * the catalog is, and a slow catalog never makes a scrape time out.
 */
export class EntityStorageMetrics {
  private samples: EntitySample[] = [];
  private readonly now: () => Date;

  constructor(private readonly options: EntityStorageMetricsOptions) {
    this.now = options.now ?? (() => new Date());
    this.gauge(
      STORAGE_METRICS.entityHealth,
      "1 for the entity's protection state as the Storage tab shows it, 0 for the others",
      (sample, observe) => {
        for (const state of PROTECTION_STATES) {
          observe(sample.health === state ? 1 : 0, { state });
        }
      },
    );
    this.gauge(
      STORAGE_METRICS.entityVolumes,
      "The entity's live volumes per protection state",
      (sample, observe) => {
        for (const state of PROTECTION_STATES) {
          observe(sample.volumes[state], { state });
        }
      },
    );
    this.gauge(
      STORAGE_METRICS.recoveryPointAge,
      'Age of the oldest recovery point (newest good backup) among the entity volumes that have one',
      (sample, observe) => {
        if (sample.oldestRecoveryPointSeconds !== undefined) {
          observe(Math.round(sample.oldestRecoveryPointSeconds));
        }
      },
    );
    this.gauge(
      STORAGE_METRICS.overdueVolumes,
      "Volumes whose schedule's due run produced no good backup",
      (sample, observe) => observe(sample.overdueVolumes),
    );
    this.gauge(
      STORAGE_METRICS.drillPassed,
      'Enrolled entities: 1 when the newest judged restore drill passed, 0 when it failed',
      (sample, observe) => {
        if (sample.drill?.lastPassed !== undefined) {
          observe(sample.drill.lastPassed);
        }
      },
    );
    this.gauge(
      STORAGE_METRICS.drillRecoverySeconds,
      'Enrolled entities: measured recovery time of the newest passed drill',
      (sample, observe) => {
        if (sample.drill?.recoverySeconds !== undefined) {
          observe(sample.drill.recoverySeconds);
        }
      },
    );
    this.gauge(
      STORAGE_METRICS.unverified,
      'Enrolled entities: 1 when no drill passed within the configured window or the last one failed',
      (sample, observe) => {
        if (sample.drill) observe(sample.drill.unverified);
      },
    );
  }

  /** Computes every entity's samples from the caches and the drill store. */
  async refresh(): Promise<void> {
    const { storage, drills, listEntities, logger } = this.options;
    const now = this.now();
    const samples: EntitySample[] = [];
    for (const entity of await listEntities()) {
      try {
        const { storage: status, proof } = await drills.withProof(
          entity,
          await storage.getEntityStorage(entity),
        );
        const owner = entityOwnerRefs(entity)[0] ?? 'unknown';
        samples.push(sampleEntity(status, proof, owner, now));
      } catch (error) {
        // One odd entity must not blank everyone's gauges.
        logger.warn(
          `No storage metrics for ${stringifyEntityRef(entity)}: ${error}`,
        );
      }
    }
    this.samples = samples;
  }

  private gauge(
    name: string,
    description: string,
    read: (
      sample: EntitySample,
      observe: (value: number, labels?: Record<string, string>) => void,
    ) => void,
  ) {
    // OpenTelemetry's SDK keeps exporting, at its last value, every series
    // an observable gauge has ever reported (cumulative temporality merges
    // each collection into the last), so a series cannot be removed. One
    // whose subject is gone (an entity no longer enrolled, deleted, or with
    // another owner) is given NaN once instead: every comparison with NaN
    // is false, so the alerts on it resolve rather than fire forever.
    let exported = new Map<string, Record<string, string>>();
    this.options.metrics
      .createObservableGauge(name, { description })
      .addCallback(result => {
        const observed = new Map<string, Record<string, string>>();
        for (const sample of this.samples) {
          read(sample, (value, labels) => {
            const all = { ...sample.labels, ...labels };
            observed.set(seriesKey(all), all);
            result.observe(value, all);
          });
        }
        for (const [key, labels] of exported) {
          if (!observed.has(key)) result.observe(NaN, labels);
        }
        exported = observed;
      });
  }
}

/** One series' identity: its labels, in a stable order. */
function seriesKey(labels: Record<string, string>): string {
  return JSON.stringify(
    Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}
