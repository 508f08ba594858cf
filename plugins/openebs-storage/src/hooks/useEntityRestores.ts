import { useCallback, useEffect, useState } from 'react';
import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  RESTORE_SIGNAL_CHANNEL,
  RestoreSignal,
} from '@openebs-portal/plugin-openebs-storage-common';
import useAsync from 'react-use/esm/useAsync';
import useInterval from 'react-use/esm/useInterval';
import { openebsStorageApiRef } from '../api';

/**
 * How often the list is reloaded while a restore runs. Signals announce
 * every state change; polling is the fallback for apps without the signals
 * plugin, or when a signal is missed.
 */
export const RESTORE_POLL_INTERVAL_MS = 10_000;

/**
 * Loads the restore requests of an entity, newest first. `retry` reloads
 * them; while reloading the previous `value` is kept.
 *
 * The list reloads by itself when the backend announces a change of one of
 * the entity's restores on `RESTORE_SIGNAL_CHANNEL`, and every
 * {@link RESTORE_POLL_INTERVAL_MS} while any of them is in progress.
 */
export function useEntityRestores(entity: Entity) {
  const api = useApi(openebsStorageApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const entityRef = stringifyEntityRef({ kind, namespace, name });

  // A counter rather than useAsyncRetry's retry, which is a no-op while a
  // load runs: a signal arriving then would be lost. Every reload asks
  // again; only the answer of the newest one is kept.
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt(n => n + 1), []);
  // async, so that even a synchronous throw (an app's own API without
  // listRestores) becomes an error of this list, not of the whole tab.
  const state = useAsync(
    async () => api.listRestores({ kind, namespace, name }),
    [api, kind, namespace, name, attempt],
  );

  // RestoreSignal is an interface, which does not satisfy the JsonObject
  // bound of useSignal's type parameter: read the message as JSON, narrow.
  const { lastSignal } = useSignal(RESTORE_SIGNAL_CHANNEL);
  const signal = lastSignal as Partial<RestoreSignal> | null;
  useEffect(() => {
    // Signals go to the user, wherever they are: ignore the restores of
    // other entities. Each signal is a new object, so each one reloads.
    if (signal?.entityRef?.toLocaleLowerCase('en-US') === entityRef) {
      retry();
    }
  }, [signal, entityRef, retry]);

  const inProgress = Boolean(
    state.value?.items.some(request => request.state === 'in-progress'),
  );
  useInterval(retry, inProgress ? RESTORE_POLL_INTERVAL_MS : null);

  return { ...state, retry };
}
