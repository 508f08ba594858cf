import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { requestJson } from '../kubernetes/kubernetesRequest';
import { PORTAL_LABELS, veleroCollection } from '../kubernetes/velero';
import { buildRestoreManifest, labelValueFor } from './restoreManifest';

export type RestoreManifest = ReturnType<typeof buildRestoreManifest>;

/**
 * Creates a request's Restore and returns its UID. Its name is derived from
 * the request, so a second attempt (another instance, a retry, the next
 * pass of an in-place restore) meets 409 and finds its own Restore; a
 * Restore of that name of another request is refused.
 */
export async function createRestore(
  cache: ClusterCache,
  veleroNamespace: string,
  logger: LoggerService,
  request: Pick<
    RestoreRequest,
    'id' | 'entityRef' | 'requestId' | 'requestedBy'
  >,
  manifest: RestoreManifest,
): Promise<string> {
  const collection = veleroCollection(veleroNamespace, 'restores');
  try {
    const created = await requestJson<any>(cache.kubeConfig, collection, {
      method: 'POST',
      body: manifest,
    });
    logger.info(`Created Velero Restore ${manifest.metadata.name}`, {
      entityRef: request.entityRef,
      cluster: cache.name,
      requestId: request.id,
    });
    return created.metadata?.uid;
  } catch (error: any) {
    if (error.statusCode !== 409) throw error;
    const existing = await requestJson<any>(
      cache.kubeConfig,
      `${collection}/${manifest.metadata.name}`,
    );
    // The same request recorded by an instance on another database (or
    // before a restart of an in-memory one): its Restore stands.
    const labels = existing.metadata?.labels ?? {};
    if (
      labels[PORTAL_LABELS.requestId] === request.requestId &&
      labels[PORTAL_LABELS.requestedBy] === labelValueFor(request.requestedBy)
    ) {
      return existing.metadata?.uid;
    }
    throw new ConflictError(
      `A Restore named ${manifest.metadata.name} exists and belongs to another request`,
    );
  }
}
