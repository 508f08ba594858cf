import {
  EntityStorage,
  ProtectionStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { DrillProof } from '../drill/DrillService';

export const PROTECTION_STATES: ProtectionStatus[] = [
  'protected',
  'at-risk',
  'unprotected',
  'unknown',
];

/** What the gauges say about one entity, computed once per refresh. */
export interface EntitySample {
  /** The labels every series of the entity carries. */
  labels: { entity: string; owner: string };
  /** The entity's health as the tab shows it (drill proof included). */
  health?: ProtectionStatus;
  /** Live volumes per protection state. */
  volumes: Record<ProtectionStatus, number>;
  /** Age of the oldest recovery point among volumes that have one. */
  oldestRecoveryPointSeconds?: number;
  /** Volumes whose schedule's due run produced no good backup. */
  overdueVolumes: number;
  /** Only for entities enrolled for drills. */
  drill?: {
    /** 1 passed, 0 failed; absent before the first verdict. */
    lastPassed?: 0 | 1;
    /** Recovery time of the newest passed drill. */
    recoverySeconds?: number;
    unverified: 0 | 1;
  };
}

/**
 * One entity's gauges from its storage (as the tab gets it) and its drill
 * proof. Deleted claims are history and do not count.
 */
export function sampleEntity(
  storage: EntityStorage,
  proof: DrillProof | undefined,
  owner: string,
  now: Date,
): EntitySample {
  const volumes = storage.clusters
    .flatMap(c => c.volumes)
    .filter(v => v.phase !== 'Deleted');
  const counts = Object.fromEntries(
    PROTECTION_STATES.map(state => [state, 0]),
  ) as Record<ProtectionStatus, number>;
  let oldest: number | undefined;
  let overdue = 0;
  for (const volume of volumes) {
    counts[volume.health.status] += 1;
    if (volume.recoveryPoint?.overdue) overdue += 1;
    const at = volume.recoveryPoint?.at ?? volume.lastGoodBackup?.startedAt;
    if (at) {
      const age = Math.max(0, (now.getTime() - Date.parse(at)) / 1000);
      oldest = Math.max(oldest ?? 0, age);
    }
  }
  return {
    labels: { entity: storage.entityRef, owner },
    health: storage.health?.status,
    volumes: counts,
    oldestRecoveryPointSeconds: oldest,
    overdueVolumes: overdue,
    drill: proof && {
      lastPassed: proof.lastJudged && (proof.lastJudged === 'passed' ? 1 : 0),
      recoverySeconds: proof.lastPassed?.recoverySeconds,
      unverified: proof.unverified ? 1 : 0,
    },
  };
}
