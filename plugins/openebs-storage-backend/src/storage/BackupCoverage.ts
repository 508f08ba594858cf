import {
  ServiceLevels,
  VolumeBackup,
} from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { IndexedStore } from '../kubernetes/IndexedStore';
import {
  BackupRecord,
  ClaimRecord,
  PodRecord,
  ScheduleRecord,
  VolumeBackupRecord,
} from '../kubernetes/records';
import {
  labelSelectorFromObject,
  matchesLabels,
} from '../entities/labelSelector';
import { namespaceInScope } from './namespaceScope';
import { secondsBetween } from './durations';

/**
 * Each schedule's newest finished run, per backups store, while the store
 * is unchanged: a schedule can hold thousands of runs (one per namespace per
 * day), every volume of every request asks, and Backups change only a few
 * times per run.
 */
const newestRunsByStore = new WeakMap<
  IndexedStore<BackupRecord>,
  { version: number; bySchedule: Map<string, BackupRecord | undefined> }
>();

const GOOD_PHASE = 'Completed';
/** Runs that got as far as writing volume data. */
const FINISHED_PHASES = new Set([GOOD_PHASE, 'PartiallyFailed']);

/**
 * Which Velero backups really covered a volume, and which schedules will.
 *
 * Evidence is per volume: a PodVolumeBackup (file-system backup) or a
 * DataUpload (snapshot data movement) of the claim, found by its UID label or
 * by its namespace and name. A Backup that merely included the namespace
 * proves nothing about the data.
 */
export class BackupCoverage {
  constructor(
    private readonly cache: ClusterCache,
    private readonly serviceLevels: ServiceLevels,
  ) {}

  /**
   * The volume's backups, newest first: those of this claim and of earlier
   * claims of the same name in its namespace. A claim deleted and created
   * again (by its StatefulSet, or by an in-place restore) has a new UID, but
   * Velero restores claims by name, so the older backups still bring its
   * data back and must stay in the list.
   */
  backupsOf(claim: ClaimRecord): VolumeBackup[] {
    const { podVolumeBackups, dataUploads } = this.cache.reflectors;
    const key = `${claim.namespace}/${claim.name}`;
    const records = new Map<string, VolumeBackupRecord>();
    for (const record of [
      ...podVolumeBackups.store.byIndex('claimUid', claim.uid),
      ...podVolumeBackups.store.byIndex('claim', key),
      ...dataUploads.store.byIndex('claimUid', claim.uid),
      ...dataUploads.store.byIndex('claim', key),
    ]) {
      records.set(record.uid, record);
    }
    return Array.from(records.values())
      .map(record => this.toVolumeBackup(record))
      .sort((a, b) => sortKey(b).localeCompare(sortKey(a)));
  }

  /** The newest backup whose volume data and Backup both completed. */
  lastGoodBackup(backups: VolumeBackup[], now: Date): VolumeBackup | undefined {
    return backups.find(
      backup =>
        backup.phase === GOOD_PHASE &&
        backup.backupPhase === GOOD_PHASE &&
        (!backup.expiresAt || Date.parse(backup.expiresAt) > now.getTime()),
    );
  }

  /**
   * Valid schedules whose template includes the claim: its namespace is in
   * scope, and a label selector (if any) matches the claim or one of the
   * pods mounting it. Unpaused ones, or with `paused` the paused ones.
   */
  schedulesCovering(
    claim: ClaimRecord,
    pods: PodRecord[],
    { paused = false }: { paused?: boolean } = {},
  ): ScheduleRecord[] {
    return Array.from(this.cache.reflectors.schedules.store.values()).filter(
      schedule =>
        schedule.paused === paused &&
        schedule.phase !== 'FailedValidation' &&
        namespaceInScope(
          claim.namespace,
          schedule.includedNamespaces,
          schedule.excludedNamespaces,
        ) &&
        selectorsAdmit(schedule, [claim.labels, ...pods.map(p => p.labels)]),
    );
  }

  /**
   * The newest finished run of `schedules` since the claim was created, when
   * it holds no copy of the claim (none of `backups` is from it): Velero
   * skipped the volume, whatever older copies there are.
   */
  newestRunWithout(
    claim: ClaimRecord,
    schedules: ScheduleRecord[],
    backups: VolumeBackup[],
  ): BackupRecord | undefined {
    const newest = schedules
      .map(schedule => this.newestFinishedRun(schedule.name))
      .reduce(newerRun, undefined);
    const sinceCreated =
      newest && (newest.startedAt ?? '') > (claim.createdAt ?? '');
    return sinceCreated && !backups.some(b => b.backupName === newest.name)
      ? newest
      : undefined;
  }

  private newestFinishedRun(schedule: string): BackupRecord | undefined {
    const { store } = this.cache.reflectors.backups;
    let memo = newestRunsByStore.get(store);
    if (memo?.version !== store.version) {
      memo = { version: store.version, bySchedule: new Map() };
      newestRunsByStore.set(store, memo);
    }
    if (!memo.bySchedule.has(schedule)) {
      memo.bySchedule.set(
        schedule,
        store
          .byIndex('schedule', schedule)
          .filter(run => FINISHED_PHASES.has(run.phase))
          .reduce(newerRun, undefined),
      );
    }
    return memo.bySchedule.get(schedule);
  }

  private findBackup(record: VolumeBackupRecord): BackupRecord | undefined {
    const { backups } = this.cache.reflectors;
    if (record.backupName) {
      const [byName] = backups.store.byIndex('name', record.backupName);
      if (byName) return byName;
    }
    if (record.backupLabel) {
      const [byLabel] = backups.store.byIndex('label', record.backupLabel);
      return byLabel;
    }
    return undefined;
  }

  private toVolumeBackup(record: VolumeBackupRecord): VolumeBackup {
    const backup = this.findBackup(record);
    const durationSeconds = secondsBetween(
      record.startedAt,
      record.completedAt,
    );
    return {
      backupName:
        backup?.name ?? record.backupName ?? record.backupLabel ?? 'unknown',
      method: record.method,
      phase: record.phase,
      backupPhase: backup?.phase,
      scheduleName: backup?.scheduleName,
      storageLocation: backup?.storageLocation,
      startedAt: record.startedAt ?? backup?.startedAt,
      completedAt: record.completedAt,
      durationSeconds,
      withinServiceLevel:
        durationSeconds === undefined
          ? undefined
          : durationSeconds <= this.serviceLevels.backupSeconds,
      bytesDone: record.bytesDone,
      totalBytes: record.totalBytes,
      expiresAt: backup?.expiresAt,
      message: record.message,
      warnings: backup?.warnings,
      errors: backup?.errors,
    };
  }
}

function newerRun(
  a: BackupRecord | undefined,
  b: BackupRecord | undefined,
): BackupRecord | undefined {
  if (!a || !b) return a ?? b;
  return (b.startedAt ?? '') > (a.startedAt ?? '') ? b : a;
}

function sortKey(backup: VolumeBackup): string {
  return backup.startedAt ?? backup.completedAt ?? '';
}

function selectorsAdmit(
  schedule: ScheduleRecord,
  labelSets: Array<Record<string, string>>,
): boolean {
  const selectors = [
    ...(schedule.labelSelector ? [schedule.labelSelector] : []),
    ...(schedule.orLabelSelectors ?? []),
  ].map(labelSelectorFromObject);
  if (selectors.length === 0) {
    return true;
  }
  return selectors.some(selector =>
    labelSets.some(labels => matchesLabels(selector, labels)),
  );
}
