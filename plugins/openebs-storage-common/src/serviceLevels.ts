/**
 * The service levels of the storage platform, which the portal measures
 * volumes, backups and restores against (docs/requirements.md).
 *
 * @public
 */
export interface ServiceLevels {
  /** AC-001-01: a PVC on an OpenEBS class is Bound within this many seconds. */
  provisioningSeconds: number;
  /** AC-002-01: a backup of a volume reaches S3 within this many seconds. */
  backupSeconds: number;
  /** AC-002-03: a restore from S3 completes within this many seconds. */
  restoreSeconds: number;
  /**
   * For a volume no active schedule covers: a manual backup younger than this
   * is named as its only protection. A scheduled volume is judged by its
   * schedule instead (its recovery point against the newest due run).
   */
  maxBackupAgeHours: number;
  /**
   * AC-004-02: a workload moved onto OpenEBS is stopped for at most this
   * many seconds (from its stop until it is Ready on the new volume).
   */
  migrationDowntimeSeconds: number;
}

/** @public */
export const DEFAULT_SERVICE_LEVELS: ServiceLevels = Object.freeze({
  provisioningSeconds: 30,
  backupSeconds: 5 * 60,
  restoreSeconds: 15 * 60,
  maxBackupAgeHours: 25,
  migrationDowntimeSeconds: 5 * 60,
});
