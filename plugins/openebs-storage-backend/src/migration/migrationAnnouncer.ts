import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  formatDuration,
  migrationFailedToStart,
  VolumeMigration,
} from '@openebs-portal/plugin-openebs-storage-common';
import {
  EntityNotifier,
  notifyEntityOwners,
} from '../entities/entityNotifications';

/** Called with a migration whose state the runner has just changed. */
export type MigrationAnnouncer = (migration: VolumeMigration) => Promise<void>;

export interface MigrationAnnouncerOptions extends EntityNotifier {
  auditor: AuditorService;
  logger: LoggerService;
  /** The downtime limit the notice measures against (AC-004-02). */
  downtimeLimitSeconds: number;
}

/** What the entity's owners are told when a migration reaches `state`. */
export interface MigrationNotice {
  title: string;
  description: string;
  severity: 'high' | 'normal';
}

/**
 * The notice for a state the owners must hear of: the workload runs on
 * the new volume and waits for their decision, the rollback is done, or the
 * migration failed. Nothing for the states in between (the tab shows them).
 */
export function migrationNotice(
  migration: VolumeMigration,
  downtimeLimitSeconds: number,
): MigrationNotice | undefined {
  const volume = `${migration.namespace}/${migration.claim}`;
  switch (migration.state) {
    case 'awaiting-confirmation':
      return {
        title: `${volume} runs on ${migration.targetClass}: keep it or roll back`,
        description: [
          migration.downtimeSeconds !== undefined &&
            `Stopped for ${formatDuration(migration.downtimeSeconds)}, ${
              migration.downtimeSeconds <= downtimeLimitSeconds
                ? 'within'
                : 'over'
            } the ${formatDuration(downtimeLimitSeconds)} limit.`,
          migration.manifest &&
            `${migration.manifest.files} files, equal on both volumes.`,
          `The old volume ${migration.source.name} is kept until someone decides on the Storage tab.`,
        ]
          .filter(Boolean)
          .join(' '),
        severity: 'high',
      };
    case 'rolled-back':
      return {
        title: `${volume} is back on ${migration.source.storageClass}`,
        description: `Rolled back by ${
          migration.decidedBy ?? 'an owner'
        }; the old volume's files were checked unchanged.${
          migration.target
            ? ` The new volume ${migration.target.name} is kept (Retain) with what was written on it.`
            : ''
        }`,
        severity: 'normal',
      };
    case 'failed':
      return {
        title: `Migration of ${volume} to ${migration.targetClass} failed`,
        description: `${migration.failureReason ?? 'No reason recorded.'}${
          migrationFailedToStart(migration)
            ? ' The data is whole on both volumes: it can be rolled back on the Storage tab.'
            : ''
        }`,
        severity: 'high',
      };
    default:
      return undefined;
  }
}

/**
 * Tells the entity's owners and the requester what a migration needs from
 * them or what became of it (one notification per migration, updated by
 * scope), and records the outcome in the audit log.
 */
export function createMigrationAnnouncer(
  options: MigrationAnnouncerOptions,
): MigrationAnnouncer {
  return async migration => {
    const notice = migrationNotice(migration, options.downtimeLimitSeconds);
    if (!notice) return;
    const event = await options.auditor.createEvent({
      eventId: 'migration-outcome',
      severityLevel: 'medium',
      meta: {
        migrationId: migration.id,
        entityRef: migration.entityRef,
        cluster: migration.cluster,
        claim: `${migration.namespace}/${migration.claim}`,
        state: migration.state,
        requestedBy: migration.requestedBy,
      },
    });
    if (migration.state === 'failed') {
      await event.fail({ error: new Error(notice.description) });
    } else {
      await event.success();
    }
    await notifyEntityOwners(
      options,
      migration.entityRef,
      migration.requestedBy,
      {
        ...notice,
        topic: 'openebs-storage-migration',
        scope: migration.id,
      },
    ).catch(error =>
      options.logger.warn(`Migration notification not sent: ${error}`, {
        entityRef: migration.entityRef,
      }),
    );
  };
}
