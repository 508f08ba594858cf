import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  formatDuration,
  RESTORE_SIGNAL_CHANNEL,
  RestoreRequest,
  RestoreSignal,
} from '@openebs-portal/plugin-openebs-storage-common';
import {
  EntityNotifier,
  notifyEntityOwners,
  storageTabLink,
} from '../entities/entityNotifications';
import { secondsBetween } from '../storage/durations';
import { RestoreAnnouncer } from './RestoreTracker';

export interface RestoreAnnouncerOptions extends EntityNotifier {
  signals?: SignalsService;
  auditor: AuditorService;
  logger: LoggerService;
  /** The restore service level, which the notification measures against. */
  restoreSeconds: number;
  /** Who is told that an in-place request waits for approval (entity refs). */
  approvers?: string[];
}

/**
 * Tells people what happened to a restore: every change goes to the
 * requester as a signal (the tab updates live); the outcome goes to the
 * entity's owners as a notification and to the audit log.
 */
export function createRestoreAnnouncer(
  options: RestoreAnnouncerOptions,
): RestoreAnnouncer {
  return async request => {
    const message: RestoreSignal = {
      requestId: request.id,
      entityRef: request.entityRef,
      state: request.state,
    };
    await options.signals
      ?.publish({
        recipients: { type: 'user', entityRef: request.requestedBy },
        channel: RESTORE_SIGNAL_CHANNEL,
        message: { ...message },
      })
      .catch(error => options.logger.warn(`Restore signal not sent: ${error}`));

    if (request.state === 'in-progress') return;
    if (request.state === 'awaiting-approval') {
      await notifyApprovers(options, request).catch(error =>
        options.logger.warn(`Approval notification not sent: ${error}`),
      );
      return;
    }
    await auditOutcome(options.auditor, request);
    await notifyOwners(options, request).catch(error =>
      options.logger.warn(`Restore notification not sent: ${error}`, {
        entityRef: request.entityRef,
      }),
    );
  };
}

async function auditOutcome(auditor: AuditorService, request: RestoreRequest) {
  const event = await auditor.createEvent({
    eventId: 'restore-outcome',
    severityLevel: 'medium',
    meta: {
      requestId: request.id,
      entityRef: request.entityRef,
      cluster: request.cluster,
      restoreName: request.restoreName,
      state: request.state,
      requestedBy: request.requestedBy,
    },
  });
  if (request.state === 'completed') {
    await event.success();
  } else {
    await event.fail({
      error: new Error(request.failureReason ?? `Restore ${request.state}`),
    });
  }
}

async function notifyApprovers(
  options: RestoreAnnouncerOptions,
  request: RestoreRequest,
) {
  if (!options.notifications || !options.approvers?.length) return;
  await options.notifications.send({
    recipients: { type: 'entity', entityRef: options.approvers },
    payload: {
      title: `In-place restore of ${request.volumes.join(', ')} in ${
        request.sourceNamespace
      } awaits approval`,
      description: `${request.requestedBy} asks to replace the data from backup ${request.backupName} on cluster ${request.cluster}. Nothing changes until a platform admin approves it on the Storage tab.`,
      link: storageTabLink(request.entityRef),
      severity: 'high',
      topic: 'openebs-storage-restore-approval',
      scope: request.id,
    },
  });
}

function notifyOwners(
  options: RestoreAnnouncerOptions,
  request: RestoreRequest,
) {
  const outcome = {
    completed: 'completed',
    'partially-failed': 'partially failed',
    failed: 'failed',
    cancelled: 'was cancelled',
    rejected: 'was rejected',
    'in-progress': 'is in progress',
    'awaiting-approval': 'awaits approval',
  }[request.state];
  return notifyEntityOwners(options, request.entityRef, request.requestedBy, {
    title: `Restore of ${request.volumes.join(', ')} from ${
      request.backupName
    } ${outcome}`,
    description: [
      request.state === 'failed' || request.state === 'rejected'
        ? request.failureReason
        : `Data is in namespace ${request.targetNamespace} on cluster ${request.cluster}.`,
      durationAgainstServiceLevel(request, options.restoreSeconds),
    ]
      .filter(Boolean)
      .join(' '),
    severity: request.state === 'completed' ? 'normal' : 'high',
    topic: 'openebs-storage-restore',
    scope: request.id,
  });
}

/**
 * `Took 42 s, within the 15 min service level.`, from Velero's start and
 * completion times (absent while either is unknown).
 */
export function durationAgainstServiceLevel(
  request: Pick<RestoreRequest, 'startedAt' | 'completedAt'>,
  restoreSeconds: number,
): string | undefined {
  const seconds = secondsBetween(request.startedAt, request.completedAt);
  if (seconds === undefined) return undefined;
  return `Took ${formatDuration(seconds)}, ${
    seconds <= restoreSeconds ? 'within' : 'over'
  } the ${formatDuration(restoreSeconds)} service level.`;
}
