import { createContext } from 'react';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ClusterStorage,
  VolumeMigration,
} from '@openebs-portal/plugin-openebs-storage-common';

/**
 * What "Migrate to OpenEBS…" on a volume needs from the Storage tab: whose
 * volume it is, the clusters (their OpenEBS classes), the entity's
 * migrations (one at a time per claim) and what to do once one is asked.
 */
export interface MigrationActions {
  entityRef: CompoundEntityRef;
  clusters: ClusterStorage[];
  migrations: VolumeMigration[];
  onRequested(migration: VolumeMigration): void;
}

/** Provided by the Storage tab; without it no migration is offered. */
export const MigrationContext = createContext<MigrationActions | undefined>(
  undefined,
);
