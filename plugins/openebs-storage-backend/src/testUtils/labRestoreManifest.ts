import { RestoreMode } from '@openebs-portal/plugin-openebs-storage-common';
import { parseLabelSelector } from '../entities/labelSelector';
import {
  buildRestoreManifest,
  buildRestorePodModifier,
} from '../restore/restoreManifest';

/**
 * The Velero Restore the backend creates for a request, so that a lab proof
 * restores with exactly the product's Restore shape rather than a
 * hand-written one. In place, a `List` of the resource modifier the backend
 * creates first and the Restore naming it.
 *
 * @public
 */
export function buildLabRestoreManifest(options: {
  restoreName: string;
  backupName: string;
  sourceNamespace: string;
  targetNamespace: string;
  mode: RestoreMode;
  /** The entity's `backstage.io/kubernetes-label-selector`. */
  labelSelector: string;
  volumes: string[];
  veleroNamespace?: string;
  requestedBy?: string;
  entityRef?: string;
}): object {
  const veleroNamespace = options.veleroNamespace ?? 'velero';
  const restore = buildRestoreManifest({
    restoreName: options.restoreName,
    veleroNamespace,
    requestId: options.restoreName,
    requestedBy: options.requestedBy ?? 'user:default/lab-proof',
    entityRef: options.entityRef ?? 'component:default/proof-data',
    backupName: options.backupName,
    sourceNamespace: options.sourceNamespace,
    targetNamespace: options.targetNamespace,
    mode: options.mode,
    volumes: options.volumes,
    selector: parseLabelSelector(options.labelSelector),
  });
  if (options.mode !== 'in-place') return restore;
  const modifier = buildRestorePodModifier({
    restoreName: options.restoreName,
    veleroNamespace,
    namespace: options.sourceNamespace,
    requestId: options.restoreName,
  });
  return { apiVersion: 'v1', kind: 'List', items: [modifier, restore] };
}
