import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  RestoreRequest,
  STORAGE_METRICS,
} from '@openebs-portal/plugin-openebs-storage-common';
import { DRILL_REQUESTER } from '../drill/DrillRunner';
import { RestoreAnnouncer } from '../restore/RestoreTracker';

/** Restore states after which nothing changes any more. */
const OUTCOMES = new Set<RestoreRequest['state']>([
  'completed',
  'partially-failed',
  'failed',
  'cancelled',
  'rejected',
]);

/**
 * An announcer that counts restore outcomes (`_total` in Prometheus) by entity, outcome and whether a drill or a
 * person asked, so a team can alert on its own failed restores.
 */
export function createRestoreOutcomeCounter(
  metrics: MetricsService,
): RestoreAnnouncer {
  const counter = metrics.createCounter(STORAGE_METRICS.restores, {
    description:
      'Restores that reached an outcome, by entity, outcome and requester (drill or user)',
  });
  const durations = metrics.createHistogram(STORAGE_METRICS.restoreDuration, {
    description:
      "Restores' durations from Velero's start to its completion, by outcome and requester",
    unit: 's',
    // Seconds to hours: the restore service level (15 min) falls in between.
    advice: {
      explicitBucketBoundaries: [15, 30, 60, 120, 300, 600, 900, 1800, 3600],
    },
  });
  return async request => {
    if (!OUTCOMES.has(request.state)) return;
    const requester =
      request.requestedBy === DRILL_REQUESTER ? 'drill' : 'user';
    counter.add(1, {
      entity: request.entityRef,
      outcome: request.state,
      requester,
    });
    if (request.durationSeconds !== undefined) {
      durations.record(request.durationSeconds, {
        outcome: request.state,
        requester,
      });
    }
  };
}
