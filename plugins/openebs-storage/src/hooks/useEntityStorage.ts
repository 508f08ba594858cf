import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { openebsStorageApiRef } from '../api';

/**
 * Loads the storage status of an entity. `retry` reloads it; while reloading
 * the previous `value` is kept so the page does not blank.
 */
export function useEntityStorage(entity: Entity) {
  const api = useApi(openebsStorageApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useAsyncRetry(
    () => api.getEntityStorage({ kind, namespace, name }),
    [api, kind, namespace, name],
  );
}
