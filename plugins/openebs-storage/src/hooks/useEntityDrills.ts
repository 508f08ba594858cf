import { useCallback, useState } from 'react';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { ACTIVE_DRILL_STATES } from '@openebs-portal/plugin-openebs-storage-common';
import useAsync from 'react-use/esm/useAsync';
import useInterval from 'react-use/esm/useInterval';
import { openebsStorageApiRef } from '../api';

/** How often the drills reload while one is queued or running. */
export const DRILL_POLL_INTERVAL_MS = 10_000;

/**
 * Loads the entity's restore drills; `retry` reloads them (keeping the
 * previous value meanwhile), and they reload by themselves while a drill is
 * queued or running.
 */
export function useEntityDrills(entity: Entity) {
  const api = useApi(openebsStorageApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt(n => n + 1), []);
  const state = useAsync(
    async () => api.listDrills({ kind, namespace, name }),
    [api, kind, namespace, name, attempt],
  );
  const active = Boolean(
    state.value?.drills.some(drill =>
      ACTIVE_DRILL_STATES.includes(drill.state),
    ),
  );
  useInterval(retry, active ? DRILL_POLL_INTERVAL_MS : null);
  return { ...state, retry, active };
}
