export interface Config {
  /**
   * OpenEBS storage plugin. Clusters are read from the Kubernetes plugin's
   * `kubernetes.clusterLocatorMethods`; nothing here repeats them.
   */
  openebsStorage?: {
    /**
     * Namespace where Velero runs and keeps its objects.
     * @default velero
     * @visibility backend
     */
    veleroNamespace?: string;
    /**
     * Service levels volumes, backups and restores are measured against.
     * Defaults are the platform's: 30 s, 5 min, 15 min, 25 h.
     */
    /** How restores requested in the portal are followed. */
    restoreTracking?: {
      /**
       * Seconds between two passes over unfinished restores (one backend
       * instance runs them). Reads only the watch caches.
       * @default 5
       * @visibility backend
       */
      frequencySeconds?: number;
    };
    serviceLevels?: {
      /** @visibility frontend */
      provisioningSeconds?: number;
      /** @visibility frontend */
      backupSeconds?: number;
      /** @visibility frontend */
      restoreSeconds?: number;
      /** @visibility frontend */
      maxBackupAgeHours?: number;
    };
  };
}
