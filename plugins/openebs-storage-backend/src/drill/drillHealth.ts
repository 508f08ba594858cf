import {
  EntityDrills,
  EntityStorage,
  Health,
} from '@openebs-portal/plugin-openebs-storage-common';

/**
 * Health includes proof: an entity enrolled for drills whose last drill
 * failed, or that has no passed drill within `unverifiedAfterDays`, is at
 * risk ("unverified") even when every backup looks good. Entities not
 * enrolled are judged by their backups alone.
 */
export function withDrillHealth(
  storage: EntityStorage,
  drills: Pick<EntityDrills, 'enrolled' | 'drills' | 'lastPassed'>,
  unverifiedAfterDays: number,
  now: Date,
): EntityStorage {
  if (!drills.enrolled || !storage.health) return storage;
  const unverified = unverifiedReason(drills, unverifiedAfterDays, now);
  if (!unverified) return storage;
  const health: Health =
    storage.health.status === 'protected'
      ? { status: 'at-risk', reason: `Unverified: ${unverified}` }
      : {
          ...storage.health,
          reason: `${storage.health.reason}; unverified: ${unverified}`,
        };
  return { ...storage, health };
}

/**
 * Why an enrolled entity's data counts as unverified, or `undefined` when its
 * last judged drill passed within the window.
 */
export function unverifiedReason(
  drills: Pick<EntityDrills, 'drills' | 'lastPassed'>,
  unverifiedAfterDays: number,
  now: Date,
): string | undefined {
  const lastJudged = drills.drills.find(
    d => d.state === 'passed' || d.state === 'failed',
  );
  if (lastJudged?.state === 'failed') {
    return `the last restore drill failed (${
      lastJudged.reason ?? 'no reason recorded'
    })`;
  }
  const passedAt = drills.lastPassed?.finishedAt;
  const windowMs = unverifiedAfterDays * 86_400_000;
  if (!passedAt || now.getTime() - Date.parse(passedAt) > windowMs) {
    return `no restore drill has passed in the last ${unverifiedAfterDays} days`;
  }
  return undefined;
}
