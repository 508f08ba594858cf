import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { NamespaceTenancy } from './NamespaceTenancy';

/**
 * Lets a backend module replace how namespace owners are found.
 *
 * @public
 */
export interface OpenebsStorageTenancyExtensionPoint {
  /** Replaces the default tenancy; only one module may set it. */
  setNamespaceTenancy(tenancy: NamespaceTenancy): void;
}

/**
 * Extension point of the openebs-storage backend plugin for its namespace
 * tenancy; see {@link NamespaceTenancy}.
 *
 * @public
 */
export const openebsStorageTenancyExtensionPoint =
  createExtensionPoint<OpenebsStorageTenancyExtensionPoint>({
    id: 'openebs-storage.tenancy',
  });
