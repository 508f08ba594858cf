import { createContext } from 'react';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ClusterStorage,
  RestoreRequest,
} from '@openebs-portal/plugin-openebs-storage-common';

/**
 * What the restore actions deep in the volume tables need from the Storage
 * tab: whose volumes they are, the clusters (for the other volumes a backup
 * covers and the health of its storage location), and what to do once a
 * restore was requested.
 */
export interface RestoreActions {
  entityRef: CompoundEntityRef;
  clusters: ClusterStorage[];
  onRequested(request: RestoreRequest): void;
}

/**
 * Provided by the Storage tab. Without it (a volume table rendered on its
 * own) no restore action is offered.
 */
export const RestoreContext = createContext<RestoreActions | undefined>(
  undefined,
);
