import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  KUBERNETES_ANNOTATIONS,
  RestoreApproval,
  RestorePreview,
  RestoreRequest,
  RestoreRequestInput,
  ServiceLevels,
} from '@openebs-portal/plugin-openebs-storage-common';
import { randomUUID } from 'crypto';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { ClusterCaches } from '../kubernetes/ClusterCaches';
import { RestoreLimits } from '../config';
import { deleteRestore } from '../kubernetes/velero';
import { selectEntityObjects } from '../entities/entityObjectSelection';
import { LabelSelector } from '../entities/labelSelector';
import { secondsBetween } from '../storage/durations';
import { RestorePlanInput, RestorePlanner, Requester } from './RestorePlanner';
import {
  NewRestoreRequest,
  RestoreHolds,
  RestoreStore,
  targetHoldOf,
} from './RestoreStore';
import { admitRestore } from './restoreAdmission';
import { RestoreAnnouncer } from './RestoreTracker';
import { createRestore, RestoreManifest } from './createRestore';
import { inPlaceRestoreOf } from './inPlaceSteps';
import { buildRestoreManifest, restoreNameFor } from './restoreManifest';

export interface RestoreServiceOptions {
  store: RestoreStore;
  clusters: ClusterCaches;
  veleroNamespace: string;
  serviceLevels: ServiceLevels;
  limits: RestoreLimits;
  logger: LoggerService;
  planner: RestorePlanner;
  /** Called when a request starts waiting for approval, or is decided. */
  announce?: RestoreAnnouncer;
}

/**
 * Turns a user's restore request into exactly one Velero Restore: plan
 * (validate against the caches and the platform's namespace records), admit
 * (caps and target holds, across instances), record, create. A repeated
 * request id returns the first request instead of creating another.
 */
export class RestoreService {
  constructor(private readonly options: RestoreServiceOptions) {}

  /** What a request would bring back, or the refusal it would meet. */
  async preview(
    entity: Entity,
    input: RestorePlanInput,
    requester: Requester,
  ): Promise<RestorePreview> {
    const plan = await this.plan(entity, input, requester);
    await this.admit({
      entityRef: stringifyEntityRef(entity),
      requestedBy: requester.userEntityRef,
      cluster: input.cluster,
      targetNamespace: plan.targetNamespace,
    });
    return {
      targetNamespace: plan.targetNamespace,
      contents: plan.contents,
      ...(plan.inPlace && { inPlace: plan.inPlace.plan }),
    };
  }

  /**
   * Records a request and, unless it waits for approval, creates its
   * Restore (in place: the tracker leads its steps). `awaitApproval`: an
   * in-place request from someone who may request but not execute it.
   */
  async requestRestore(
    entity: Entity,
    input: RestoreRequestInput,
    requester: Requester,
    options: { awaitApproval?: boolean } = {},
  ): Promise<{ request: RestoreRequest; created: boolean }> {
    const { store } = this.options;
    const requestedBy = requester.userEntityRef;
    const entityRef = stringifyEntityRef(entity);
    const previous = await store.findByRequestId(requestedBy, input.requestId);
    if (previous) {
      return { request: this.answerFor(previous, entityRef), created: false };
    }

    const plan = await this.plan(entity, input, requester);
    const cache = this.options.clusters.get(input.cluster);
    const restoreName = restoreNameFor(
      entity.metadata.name,
      requestedBy,
      input.requestId,
    );
    const fields = {
      id: randomUUID(),
      requestId: input.requestId,
      entityRef,
      cluster: input.cluster,
      backupName: plan.backup.name,
      mode: input.mode,
      sourceNamespace: input.namespace,
      targetNamespace: plan.targetNamespace,
      volumes: input.volumes,
      contents: plan.contents,
      requestedBy,
      requestedAt: new Date().toISOString(),
      restoreName,
    };
    const manifest = this.manifestOf(fields, plan.selector);
    // In place, the Restore comes at its step, after the claims are gone.
    const inPlace =
      plan.inPlace &&
      (await inPlaceRestoreOf(cache, input.namespace, plan.inPlace));
    const { request, created } = await this.admitAndRecord({
      ...fields,
      state: options.awaitApproval ? 'awaiting-approval' : 'in-progress',
      inPlace,
      restoreManifest: inPlace ? manifest : undefined,
    });
    if (!created) {
      // Another instance won the race for this request id and creates the
      // Restore; the tracker fails the request if it never appears.
      return { request: this.answerFor(request, entityRef), created };
    }
    if (request.state === 'awaiting-approval') {
      await this.options.announce?.(request);
      return { request, created };
    }
    if (!inPlace) await this.createRestore(cache, request, manifest);
    return {
      request: this.withServiceLevel((await store.get(request.id)) ?? request),
      created,
    };
  }

  /**
   * Cancels a restore Velero has not started: its Restore is deleted, which
   * Velero honours at once for a queued one. A running restore cannot be
   * stopped by deleting it (Velero finishes it first), so that is refused
   * with what can be done instead (docs/restores.md, "Cancelling").
   */
  async cancel(
    entityRef: string,
    id: string,
    cancelledBy: string,
  ): Promise<RestoreRequest> {
    const { store, veleroNamespace } = this.options;
    const request = await store.get(id);
    if (!request || request.entityRef !== entityRef) {
      throw new NotFoundError(`No restore request ${id} for ${entityRef}`);
    }
    if (request.state !== 'in-progress') {
      throw new ConflictError(
        `Restore ${request.restoreName} has already ended (${request.state})`,
      );
    }
    if (request.inPlace) {
      throw new ConflictError(
        `Restore ${request.restoreName} is in place: its steps have begun changing the workload, and stopping between them would leave it stopped or without its claims. Follow it to its end; a step that cannot finish stops with the reason.`,
      );
    }
    const cache = this.options.clusters.get(request.cluster);
    const [restore] = cache.reflectors.restores.store.byIndex(
      'name',
      request.restoreName,
    );
    if (restore && restore.phase !== 'New') {
      throw new ConflictError(
        `Restore ${request.restoreName} is ${restore.phase}: Velero does not stop a running restore when it is deleted, it finishes it first. ` +
          "Wait for it to end; a restore stuck waiting for its volumes ends when Velero's pod volume timeout passes, or at once when the Velero server restarts (it marks running restores Failed).",
      );
    }
    await deleteRestore(cache.kubeConfig, veleroNamespace, request.restoreName);
    await store.cancel(
      id,
      cancelledBy,
      `Cancelled by ${cancelledBy} before Velero started it`,
    );
    this.options.logger.info(
      `Cancelled Velero Restore ${request.restoreName}`,
      {
        entityRef,
        cluster: cache.name,
        requestId: id,
        cancelledBy,
      },
    );
    return this.withServiceLevel((await store.get(id))!);
  }

  /**
   * A platform admin approves an in-place request that waits: it is planned
   * again now, with the approver's authority and the cluster as it is (a
   * claim recreated meanwhile is not the one that was asked about), and its
   * steps start. Nobody approves their own request.
   */
  async approve(
    entity: Entity,
    id: string,
    approver: Requester,
  ): Promise<RestoreRequest> {
    const request = await this.awaiting(stringifyEntityRef(entity), id);
    if (request.requestedBy === approver.userEntityRef) {
      throw new NotAllowedError(
        'A request is approved by another platform admin than its requester',
      );
    }
    const input: RestorePlanInput = {
      cluster: request.cluster,
      backupName: request.backupName,
      namespace: request.sourceNamespace,
      volumes: request.volumes,
      mode: 'in-place',
      confirmation: request.sourceNamespace,
    };
    const plan = await this.plan(entity, input, approver);
    const cache = this.options.clusters.get(request.cluster);
    const inPlace = await inPlaceRestoreOf(
      cache,
      request.sourceNamespace,
      plan.inPlace!,
    );
    const manifest = this.manifestOf(request, plan.selector);
    const approval: RestoreApproval = {
      decision: 'approved',
      decidedBy: approver.userEntityRef,
      decidedAt: new Date().toISOString(),
    };
    if (!(await this.options.store.approve(id, approval, inPlace, manifest))) {
      throw new ConflictError(`Restore request ${id} was decided already`);
    }
    return this.decided(id);
  }

  /** A platform admin rejects an in-place request that waits; nothing changes. */
  async reject(
    entityRef: string,
    id: string,
    rejectedBy: string,
    reason: string,
  ): Promise<RestoreRequest> {
    await this.awaiting(entityRef, id);
    const approval: RestoreApproval = {
      decision: 'rejected',
      decidedBy: rejectedBy,
      decidedAt: new Date().toISOString(),
      reason,
    };
    if (!(await this.options.store.reject(id, approval))) {
      throw new ConflictError(`Restore request ${id} was decided already`);
    }
    return this.decided(id);
  }

  /** The one Restore a request may create: the fixed shape, its fields. */
  private manifestOf(
    request: Pick<
      RestoreRequest,
      | 'restoreName'
      | 'requestId'
      | 'requestedBy'
      | 'entityRef'
      | 'backupName'
      | 'sourceNamespace'
      | 'targetNamespace'
      | 'mode'
      | 'volumes'
    >,
    selector: LabelSelector,
  ) {
    return buildRestoreManifest({
      restoreName: request.restoreName,
      veleroNamespace: this.options.veleroNamespace,
      requestId: request.requestId,
      requestedBy: request.requestedBy,
      entityRef: request.entityRef,
      backupName: request.backupName,
      sourceNamespace: request.sourceNamespace,
      targetNamespace: request.targetNamespace,
      mode: request.mode,
      volumes: request.volumes,
      selector,
    });
  }

  private async awaiting(entityRef: string, id: string) {
    const request = await this.options.store.get(id);
    if (!request || request.entityRef !== entityRef) {
      throw new NotFoundError(`No restore request ${id} for ${entityRef}`);
    }
    if (request.state !== 'awaiting-approval') {
      throw new ConflictError(
        `Restore request ${id} does not wait for approval (${request.state})`,
      );
    }
    return request;
  }

  private async decided(id: string): Promise<RestoreRequest> {
    const request = (await this.options.store.get(id))!;
    await this.options.announce?.(request);
    return this.withServiceLevel(request);
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
    const cache = this.options.clusters.find(request.cluster);
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
    const durationSeconds = secondsBetween(
      request.startedAt,
      request.completedAt,
    );
    return {
      ...request,
      durationSeconds,
      withinServiceLevel:
        durationSeconds === undefined
          ? undefined
          : durationSeconds <= this.options.serviceLevels.restoreSeconds,
    };
  }

  /**
   * The plan alone, without admission: what a restore drill checks before it
   * creates anything (a drill holds none of the users' slots; it waits for
   * its cluster to be free of their restores instead).
   */
  planRestore(entity: Entity, input: RestorePlanInput, requester: Requester) {
    return this.plan(entity, input, requester);
  }

  private async plan(
    entity: Entity,
    input: RestorePlanInput,
    requester: Requester,
  ) {
    const entityRef = stringifyEntityRef(entity);
    const selection = selectEntityObjects(entity);
    if (!selection) {
      throw new InputError(
        `Entity ${entityRef} has no ${KUBERNETES_ANNOTATIONS.id} or ${KUBERNETES_ANNOTATIONS.labelSelector} annotation`,
      );
    }
    const cache = this.options.clusters.get(input.cluster);
    const plan = await this.options.planner.plan({
      entity,
      entityRef,
      selection,
      cache,
      input,
      requester,
    });
    return { ...plan, selector: selection.selector };
  }

  /** The slots and target a request would hold, or why it may not start. */
  private async admit(request: {
    entityRef: string;
    requestedBy: string;
    cluster: string;
    targetNamespace: string;
  }): Promise<RestoreHolds> {
    const { entityRef, requestedBy, cluster, targetNamespace } = request;
    return admitRestore({
      holders: await this.options.store.activeHolders(
        entityRef,
        requestedBy,
        targetHoldOf(cluster, targetNamespace),
      ),
      limits: this.options.limits,
      entityRef,
      requestedBy,
      cluster,
      targetNamespace,
    });
  }

  /**
   * Admits the request under the caps and records it with its holds. Two
   * instances may admit at once; the unique indexes let one win, and the
   * other checks again and sees why it lost.
   */
  private async admitAndRecord(request: NewRestoreRequest) {
    const { store } = this.options;
    // A double submit of this very request may already hold the slot or
    // the target it asks for: it is the same request, not a refusal.
    const recorded = () =>
      store.findByRequestId(request.requestedBy, request.requestId);
    for (let attempt = 1; ; attempt++) {
      const existing = await recorded();
      if (existing) return { request: existing, created: false };
      let holds: RestoreHolds;
      try {
        holds = await this.admit(request);
      } catch (refusal) {
        const raced = await recorded();
        if (raced) return { request: raced, created: false };
        throw refusal;
      }
      try {
        return await store.insertOnce(request, holds);
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }

  /**
   * A request id answers for the entity it was first sent for; sent again
   * for another entity it is refused, never answered with the first one.
   */
  private answerFor(
    previous: RestoreRequest,
    entityRef: string,
  ): RestoreRequest {
    if (previous.entityRef !== entityRef) {
      throw new ConflictError(
        `Request id ${previous.requestId} was already used for a restore of another entity; send a new request id`,
      );
    }
    return this.withServiceLevel(previous);
  }

  private async createRestore(
    cache: ClusterCache,
    request: RestoreRequest,
    manifest: RestoreManifest,
  ): Promise<void> {
    const { veleroNamespace, logger, store } = this.options;
    try {
      await createRestore(cache, veleroNamespace, logger, request, manifest);
    } catch (error: any) {
      if (!(error instanceof ConflictError)) {
        await store.update(request.id, {
          state: 'failed',
          failureReason: `The Restore could not be created: ${error.message}`,
          volumeProgress: [],
        });
      }
      throw error;
    }
  }
}
