/**
 * The metrics the backend exports through Backstage's metrics service, by
 * the names an OpenTelemetry Prometheus exporter gives them. Every gauge has
 * `entity` and `owner` labels. The platform template's alert rules are
 * written against these names.
 *
 * @public
 */
export const STORAGE_METRICS = Object.freeze({
  /** 1 for the entity's protection state, 0 for the others (`state`). */
  entityHealth: 'openebs_storage_entity_health',
  /** Live volumes per protection state (`state`). */
  entityVolumes: 'openebs_storage_entity_volumes',
  /** Age of the oldest recovery point among the entity's volumes. */
  recoveryPointAge: 'openebs_storage_entity_recovery_point_age_seconds',
  /** Volumes whose schedule's due run produced no good backup. */
  overdueVolumes: 'openebs_storage_entity_overdue_volumes',
  /** Enrolled entities: 1 when the last judged drill passed, 0 when failed. */
  drillPassed: 'openebs_storage_entity_drill_passed',
  /** Enrolled entities: recovery time of the newest passed drill. */
  drillRecoverySeconds: 'openebs_storage_entity_drill_recovery_seconds',
  /** Enrolled entities: 1 when their data counts as unverified. */
  unverified: 'openebs_storage_entity_unverified',
  /**
   * A counter of restore outcomes (`entity`, `outcome`, `requester` drill or
   * user); Prometheus shows it with `_total`.
   */
  restores: 'openebs_storage_restores',
  /**
   * A histogram of restores' durations (Velero's start to completion), by
   * outcome and requester; Prometheus shows `_bucket`, `_sum`, `_count`.
   */
  restoreDuration: 'openebs_storage_restore_duration_seconds',
  /**
   * Per cluster (`cluster`): how long its Velero backup queue has been
   * stuck as the backend saw it (a backup ReadyToStart, or backups Queued
   * while none runs), 0 when it moves.
   */
  veleroQueueStalled: 'openebs_storage_velero_queue_stalled_seconds',
});
