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
    /**
     * The Alertmanager of each cluster (as the Kubernetes plugin names the
     * cluster): the Storage tab shows its firing alerts that concern the
     * entity's volumes, the locations and schedules of its backups, or
     * Velero. Optional; without it the tab shows no alerts.
     */
    alertmanagers?: Array<{
      /** @visibility backend */
      cluster: string;
      /**
       * Base URL, e.g. http://alertmanager.monitoring:9093
       * @visibility backend
       */
      url: string;
    }>;
    /**
     * Per-entity gauges (protection, recovery point, drills) and the restore
     * outcome counter, through Backstage's metrics service.
     */
    metrics?: {
      /**
       * How often the gauges are computed from the caches, in seconds; 0
       * turns the gauges off (the restore counter stays).
       * @default 60
       * @visibility backend
       */
      refreshSeconds?: number;
    };
    /**
     * Who may restore what. Owners come from the platform's record of each
     * namespace, never from catalog annotations, which can only narrow.
     */
    tenancy?: {
      /**
       * Annotation on a Namespace that holds its owner's entity ref
       * (`group:default/team-shop`). Namespaces without it are restorable
       * by platform admins (`openebs.storage.restore.admin`) only.
       * @default openebs-portal.dev/owner
       * @visibility backend
       */
      ownerAnnotation?: string;
      /**
       * Also accept a namespace owned by a group the requester belongs to
       * (their ownership refs), not only one owned by the entity's owner.
       * @default false
       * @visibility backend
       */
      matchRequesterOwnership?: boolean;
      /**
       * Globs a new target namespace must match; `{source}` stands for the
       * source namespace.
       * @default ["{source}-restore-*"]
       * @visibility frontend
       */
      targetNamespacePatterns?: string[];
      /**
       * Globs of namespaces that never receive a restore, added to the
       * built-in ones: default, kube-*, openebs, openebs-*, flux-system,
       * the Velero namespace and the portal's own.
       * @visibility backend
       */
      reservedNamespaces?: string[];
      /**
       * The portal's own namespace (reserved). Read from the pod's service
       * account when it runs in a cluster.
       * @visibility backend
       */
      portalNamespace?: string;
    };
    /**
     * Users and groups (entity refs) notified when an in-place restore
     * waits for approval: typically the platform admins' group. The
     * request waits on the Storage tab either way.
     * @visibility backend
     */
    approvers?: string[];
    /**
     * Restores in progress at once. Velero runs one restore at a time, so
     * these keep one team's loop or stuck restore from holding everyone's.
     */
    restoreLimits?: {
      /**
       * @default 1
       * @visibility backend
       */
      activePerEntity?: number;
      /**
       * @default 2
       * @visibility backend
       */
      activePerUser?: number;
    };
    /** Volume migrations onto OpenEBS. */
    migrations?: {
      /**
       * The image of the pods that copy a volume and prove the copy (and
       * prove the old volume unchanged on a rollback). It needs `sh` and
       * BusyBox's find, sort, sha256sum, cp, cmp, diff, stat and awk; it runs
       * as root to read every file and keep owners and modes.
       * @default docker.io/library/busybox:1.37.0
       * @visibility backend
       */
      copyImage?: string;
    };
    /**
     * Restore drills: the newest good backup of an entity's volumes restored
     * into a scratch namespace, checked, recorded as evidence, cleaned up.
     */
    drills?: {
      /**
       * Run drills at all (scheduled and on demand).
       * @default true
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * Queue enrolled entities' drills on their cadence. Off, drills run
       * only when someone starts one from the tab.
       * @default true
       * @visibility backend
       */
      scheduled?: boolean;
      /**
       * Key of the HMAC that seals each drill's evidence. Without it the
       * evidence is a plain SHA-256 chain: edits are still detected, but
       * someone with write access to the database could rewrite the chain.
       * @visibility secret
       */
      evidenceKey?: string;
      /**
       * The shortest interval between scheduled drills of one entity,
       * whatever its annotation asks.
       * @default 24
       * @visibility backend
       */
      minimumIntervalHours?: number;
      /**
       * An enrolled entity with no passed drill this recent is at risk
       * ("unverified").
       * @default 8
       * @visibility backend
       */
      unverifiedAfterDays?: number;
      /**
       * How long the restored pods may take to become Ready.
       * @default 900
       * @visibility backend
       */
      readyTimeoutSeconds?: number;
      /**
       * How often the runner looks at drills, in seconds.
       * @default 10
       * @visibility backend
       */
      frequencySeconds?: number;
    };
    /**
     * Service levels volumes, backups, restores and migrations are
     * measured against. Defaults are the platform's: 30 s, 5 min, 15 min,
     * 25 h, and 5 min of downtime for a migration.
     */
    serviceLevels?: {
      /** @visibility frontend */
      provisioningSeconds?: number;
      /** @visibility frontend */
      backupSeconds?: number;
      /** @visibility frontend */
      restoreSeconds?: number;
      /** @visibility frontend */
      maxBackupAgeHours?: number;
      /** @visibility frontend */
      migrationDowntimeSeconds?: number;
    };
  };
}
