import { createRouteRef } from '@backstage/core-plugin-api';

/** Mount point of the Storage tab in the legacy frontend system. */
export const rootRouteRef = createRouteRef({ id: 'openebs-storage' });
