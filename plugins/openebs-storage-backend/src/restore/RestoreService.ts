import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import {
  KUBERNETES_ANNOTATIONS,
  RestoreRequest,
  RestoreRequestInput,
  ServiceLevels,
} from '@openebs-portal/plugin-openebs-storage-common';
import { randomUUID } from 'crypto';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { requestJson } from '../kubernetes/kubernetesRequest';
import { PORTAL_LABELS } from '../kubernetes/resources';
import { selectEntityObjects } from '../entities/entityObjectSelection';
import { secondsBetween } from '../storage/durations';
import { RestorePlanner } from './RestorePlanner';
import { RestoreStore } from './RestoreStore';
import { buildRestoreManifest, labelValueFor, restoreNameFor } from './restoreManifest';

export interface RestoreServiceOptions {
  store: RestoreStore;
  clusters: ClusterCache[];
  veleroNamespace: string;
  serviceLevels: ServiceLevels;
  logger: LoggerService;
  planner?: RestorePlanner;
}

/**
 * Turns a user's restore request into exactly one Velero Restore: plan
 * (validate against the caches), record, create. A repeated request id
 * returns the first request instead of creating another.
 */
export class RestoreService {
  private readonly planner: RestorePlanner;

  constructor(private readonly options: RestoreServiceOptions) {
    this.planner = options.planner ?? new RestorePlanner();
  }

  async requestRestore(
    entity: Entity,
    input: RestoreRequestInput,
    requestedBy: string,
  ): Promise<{ request: RestoreRequest; created: boolean }> {
    const { store, veleroNamespace } = this.options;
    const previous = await store.findByRequestId(requestedBy, input.requestId);
    if (previous) {
      return { request: this.withServiceLevel(previous), created: false };
    }

    const entityRef = stringifyEntityRef(entity);
    const selection = selectEntityObjects(entity);
    if (!selection) {
      throw new InputError(
        `Entity ${entityRef} has no ${KUBERNETES_ANNOTATIONS.id} or ${KUBERNETES_ANNOTATIONS.labelSelector} annotation`,
      );
    }
    const cache = this.cluster(input.cluster);
    const plan = this.planner.plan({ entityRef, selection, cache, input, veleroNamespace });

    const id = randomUUID();
    const restoreName = restoreNameFor(entity.metadata.name, requestedBy, input.requestId);
    const { request, created } = await store.insertOnce({
      id,
      requestId: input.requestId,
      entityRef,
      cluster: input.cluster,
      backupName: plan.backup.name,
      mode: input.mode,
      sourceNamespace: input.namespace,
      targetNamespace: plan.targetNamespace,
      volumes: input.volumes,
      requestedBy,
      requestedAt: new Date().toISOString(),
      restoreName,
      state: 'in-progress',
    });
    if (created) {
      const manifest = buildRestoreManifest({
        restoreName,
        veleroNamespace,
        requestId: input.requestId,
        requestedBy,
        entityRef,
        backupName: plan.backup.name,
        sourceNamespace: input.namespace,
        targetNamespace: plan.targetNamespace,
        mode: input.mode,
        volumes: input.volumes,
        selector: selection.selector,
      });
      await this.createRestore(cache, request, manifest);
    }
    // Not created: another instance won the race for this request id and
    // creates the Restore; the tracker fails the request if it never appears.
    return { request: this.withServiceLevel((await store.get(request.id)) ?? request), created };
  }

  async listRestores(entityRef: string): Promise<RestoreRequest[]> {
    const requests = await this.options.store.listForEntity(entityRef);
    return requests.map(r => this.withQueue(this.withServiceLevel(r)));
  }

  /**
   * A restore Velero has not started yet names the one it runs instead:
   * Velero takes restores one at a time, and without this a request behind a
   * long or stuck restore only looks slow (seen on the full lab, docs/lab.md).
   */
  private withQueue(request: RestoreRequest): RestoreRequest {
    if (request.state !== 'in-progress' || (request.phase ?? 'New') !== 'New') {
      return request;
    }
    const cache = this.options.clusters.find(c => c.name === request.cluster);
    const running = Array.from(cache?.reflectors.restores.store.values() ?? [])
      .filter(r => r.phase === 'InProgress' && r.name !== request.restoreName)
      .sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
    if (running.length === 0) {
      return request;
    }
    const [{ name, startedAt }] = running;
    return { ...request, queuedBehind: { restoreName: name, startedAt } };
  }

  withServiceLevel(request: RestoreRequest): RestoreRequest {
    const durationSeconds = secondsBetween(request.startedAt, request.completedAt);
    return {
      ...request,
      durationSeconds,
      withinServiceLevel:
        durationSeconds === undefined
          ? undefined
          : durationSeconds <= this.options.serviceLevels.restoreSeconds,
    };
  }

  private cluster(name: string): ClusterCache {
    const cache = this.options.clusters.find(c => c.name === name);
    if (!cache) {
      throw new InputError(`Cluster ${name} is not configured`);
    }
    return cache;
  }

  /**
   * Creates the Restore. Its name is derived from the request, so a second
   * attempt (another instance, a retry) meets 409 and finds its own Restore.
   */
  private async createRestore(
    cache: ClusterCache,
    request: RestoreRequest,
    manifest: ReturnType<typeof buildRestoreManifest>,
  ): Promise<void> {
    const collection = `/apis/velero.io/v1/namespaces/${encodeURIComponent(
      this.options.veleroNamespace,
    )}/restores`;
    try {
      await requestJson(cache.kubeConfig, collection, { method: 'POST', body: manifest });
      this.options.logger.info(`Created Velero Restore ${manifest.metadata.name}`, {
        entityRef: request.entityRef,
        cluster: cache.name,
        requestId: request.id,
      });
    } catch (error: any) {
      if (error.statusCode === 409) {
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
          return;
        }
        throw new ConflictError(
          `A Restore named ${manifest.metadata.name} exists and belongs to another request`,
        );
      }
      await this.options.store.update(request.id, {
        state: 'failed',
        failureReason: `The Restore could not be created: ${error.message}`,
        volumeProgress: [],
      });
      throw error;
    }
  }
}
