import { metrics } from '@opentelemetry/api';
import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  RestoreRequest,
  STORAGE_METRICS,
} from '@openebs-portal/plugin-openebs-storage-common';
import { DRILL_REQUESTER } from '../drill/DrillRunner';
import { startPrometheusScrape } from '../__testUtils__/prometheusScrape';
import { createRestoreOutcomeCounter } from './restoreOutcomes';

describe('createRestoreOutcomeCounter', () => {
  it('counts outcomes, not progress, by entity, outcome and requester', async () => {
    const prometheus = await startPrometheusScrape();
    try {
      // The meter Backstage's metrics service hands the plugin.
      const count = createRestoreOutcomeCounter(
        metrics.getMeter('backstage-plugin-openebs-storage') as MetricsService,
      );
      const request = (state: RestoreRequest['state'], requestedBy: string) =>
        ({
          entityRef: 'component:default/shop',
          state,
          requestedBy,
          durationSeconds: state === 'in-progress' ? undefined : 42,
        } as RestoreRequest);
      await count(request('in-progress', 'user:default/alice'));
      await count(request('awaiting-approval', 'user:default/alice'));
      await count(request('failed', 'user:default/alice'));
      await count(request('failed', 'user:default/bob'));
      await count(request('completed', DRILL_REQUESTER));

      const scraped = await prometheus.scrape();
      const series = scraped
        .filter(s => s.name === `${STORAGE_METRICS.restores}_total`)
        .map(s => [s.labels.outcome, s.labels.requester, s.value])
        .sort();
      expect(series).toEqual([
        ['completed', 'drill', 1],
        ['failed', 'user', 2],
      ]);
      // Durations: two failed user restores of 42 s, in the 60 s bucket.
      const buckets = scraped.filter(
        s =>
          s.name === `${STORAGE_METRICS.restoreDuration}_bucket` &&
          s.labels.outcome === 'failed',
      );
      expect(buckets.find(s => s.labels.le === '30')?.value).toBe(0);
      expect(buckets.find(s => s.labels.le === '60')?.value).toBe(2);
      expect(
        scraped.find(
          s =>
            s.name === `${STORAGE_METRICS.restoreDuration}_sum` &&
            s.labels.outcome === 'failed',
        )?.value,
      ).toBe(84);
    } finally {
      await prometheus.stop();
    }
  });
});
