import {
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { openebsStorageApiRef } from './OpenebsStorageApi';
import { OpenebsStorageClient } from './OpenebsStorageClient';

/**
 * The one factory of the storage API, shared by the legacy plugin
 * (`createPlugin({ apis })`) and the new frontend system (`ApiBlueprint`).
 */
export const openebsStorageApiFactory = createApiFactory({
  api: openebsStorageApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new OpenebsStorageClient({ discoveryApi, fetchApi }),
});
