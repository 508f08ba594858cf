import { ConflictError } from '@backstage/errors';
import { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import { RestoreLimits } from '../config';
import { ActiveHolders, RestoreHolds, targetHoldOf } from './RestoreStore';
import { TooManyRequestsError } from './TooManyRequestsError';

function describe(requests: RestoreRequest[]): string {
  return requests
    .map(
      r =>
        `${r.restoreName} (${r.sourceNamespace} → ${r.targetNamespace}, by ${r.requestedBy})`,
    )
    .join(', ');
}

function freeSlot(taken: number[], cap: number): number | undefined {
  for (let slot = 0; slot < cap; slot++) if (!taken.includes(slot)) return slot;
  return undefined;
}

/**
 * Whether a new request may start beside the ones in progress: the entity
 * and the requester are under their caps, and nobody holds the target.
 * Velero runs one restore at a time, so a loop of requests, or one stuck
 * restore, would otherwise hold every team's restores. Returns the slots to
 * take; throws the reason otherwise.
 */
export function admitRestore(options: {
  holders: ActiveHolders;
  limits: RestoreLimits;
  entityRef: string;
  requestedBy: string;
  cluster: string;
  targetNamespace: string;
}): RestoreHolds {
  const { holders, limits, entityRef, requestedBy, cluster, targetNamespace } =
    options;
  const entitySlot = freeSlot(holders.entitySlots, limits.activePerEntity);
  if (entitySlot === undefined) {
    throw new TooManyRequestsError(
      `${entityRef} already has ${
        holders.ofEntity.length
      } restore(s) in progress, the most allowed per entity (${
        limits.activePerEntity
      }): ${describe(
        holders.ofEntity,
      )}. Wait until it ends, or ask a platform admin to cancel it.`,
    );
  }
  const userSlot = freeSlot(holders.userSlots, limits.activePerUser);
  if (userSlot === undefined) {
    throw new TooManyRequestsError(
      `${requestedBy} already has ${
        holders.ofUser.length
      } restore(s) in progress, the most allowed per user (${
        limits.activePerUser
      }): ${describe(holders.ofUser)}. Wait until one ends.`,
    );
  }
  if (holders.ofTarget) {
    throw new ConflictError(
      `Namespace ${targetNamespace} is the target of restore ${holders.ofTarget.restoreName}, which is still in progress; choose another namespace`,
    );
  }
  return {
    entitySlot,
    userSlot,
    target: targetHoldOf(cluster, targetNamespace),
  };
}
