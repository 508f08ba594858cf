import { useCallback, useState } from 'react';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { RUNNING_MIGRATION_STATES } from '@openebs-portal/plugin-openebs-storage-common';
import useAsync from 'react-use/esm/useAsync';
import useInterval from 'react-use/esm/useInterval';
import { openebsStorageApiRef } from '../api';

/** How often the list reloads while a migration's steps run. */
export const MIGRATION_POLL_INTERVAL_MS = 5_000;

/**
 * Loads the entity's volume migrations; `retry` reloads them (keeping the
 * previous value meanwhile), and they reload by themselves while one runs.
 */
export function useEntityMigrations(entity: Entity) {
  const api = useApi(openebsStorageApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt(n => n + 1), []);
  // async: an app's own API without listMigrations fails this list only.
  const state = useAsync(
    async () => api.listMigrations({ kind, namespace, name }),
    [api, kind, namespace, name, attempt],
  );
  const running = Boolean(
    state.value?.migrations.some(m =>
      RUNNING_MIGRATION_STATES.includes(m.state),
    ),
  );
  useInterval(retry, running ? MIGRATION_POLL_INTERVAL_MS : null);
  return { ...state, retry };
}
