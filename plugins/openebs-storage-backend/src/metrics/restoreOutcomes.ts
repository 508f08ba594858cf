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
  return async request => {
    if (!OUTCOMES.has(request.state)) return;
    counter.add(1, {
      entity: request.entityRef,
      outcome: request.state,
      requester: request.requestedBy === DRILL_REQUESTER ? 'drill' : 'user',
    });
  };
}
