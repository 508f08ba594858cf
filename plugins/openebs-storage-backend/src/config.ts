import { Config } from '@backstage/config';
import {
  DEFAULT_SERVICE_LEVELS,
  ServiceLevels,
} from '@openebs-portal/plugin-openebs-storage-common';
import { InputError } from '@backstage/errors';
import fs from 'fs';

/** Where a pod finds its own namespace (the portal's, when it runs in a cluster). */
const SERVICE_ACCOUNT_NAMESPACE_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** The annotation on a Namespace that records its owner, by default. */
export const DEFAULT_OWNER_ANNOTATION = 'openebs-portal.dev/owner';

/**
 * Namespaces that never receive a restore, whatever the configuration adds:
 * the cluster's own, and the storage platform's.
 */
const BUILT_IN_RESERVED = [
  'default',
  'kube-*',
  'openebs',
  'openebs-*',
  'flux-system',
];

export interface TenancyConfig {
  /** Annotation on a Namespace holding its owner's entity ref. */
  ownerAnnotation: string;
  /**
   * Also accept a namespace owned by a group the requester belongs to
   * (through their ownership refs), not only by the entity's owner.
   */
  matchRequesterOwnership: boolean;
  /**
   * Globs a new target namespace must match; `{source}` stands for the
   * source namespace.
   */
  targetNamespacePatterns: string[];
  /** Globs of namespaces that never receive a restore. */
  reservedNamespaces: string[];
}

export interface RestoreLimits {
  activePerEntity: number;
  activePerUser: number;
}

export interface StorageConfig {
  veleroNamespace: string;
  serviceLevels: ServiceLevels;
  restoreTrackingSeconds: number;
  tenancy: TenancyConfig;
  limits: RestoreLimits;
  /** Told when an in-place request waits for approval (entity refs). */
  approvers: string[];
  drills: DrillConfig;
  /** How often the per-entity gauges are computed, in seconds; 0 turns them off. */
  metricsRefreshSeconds: number;
  /** Each cluster's Alertmanager, whose firing alerts the tab shows. */
  alertmanagers: Array<{ cluster: string; url: string }>;
  /** The image of the pods that copy and verify a migrated volume. */
  migrationCopyImage: string;
}

/** BusyBox, pinned: its sh, find, sha256sum, cp, stat and awk do the copy. */
export const DEFAULT_MIGRATION_COPY_IMAGE = 'docker.io/library/busybox:1.37.0';

/** `openebsStorage.drills` (config.d.ts says what each key means). */
export interface DrillConfig {
  enabled: boolean;
  /** Whether enrolled entities' drills are queued on their cadence. */
  scheduled: boolean;
  evidenceKey?: string;
  minimumIntervalHours: number;
  unverifiedAfterDays: number;
  readyTimeoutSeconds: number;
  frequencySeconds: number;
}

function positiveInteger(
  config: Config | undefined,
  key: string,
  fallback: number,
): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(
      `openebsStorage: ${key} must be a whole number of at least 1, not ${value}`,
    );
  }
  return value;
}

/** The portal's own namespace: configured, or the pod's when in a cluster. */
function portalNamespace(config: Config | undefined): string | undefined {
  const configured = config?.getOptionalString('portalNamespace');
  if (configured) return configured;
  try {
    return (
      fs.readFileSync(SERVICE_ACCOUNT_NAMESPACE_FILE, 'utf8').trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

/**
 * Reads and checks `openebsStorage` once at startup (declared in
 * config.d.ts). A wrong value stops the plugin with the key that is wrong.
 */
export function readStorageConfig(root: Config): StorageConfig {
  const config = root.getOptionalConfig('openebsStorage');
  const veleroNamespace =
    config?.getOptionalString('veleroNamespace') ?? 'velero';
  const levels = config?.getOptionalConfig('serviceLevels');
  const level = (key: keyof ServiceLevels) =>
    levels?.getOptionalNumber(key) ?? DEFAULT_SERVICE_LEVELS[key];
  const tenancy = config?.getOptionalConfig('tenancy');
  const limits = config?.getOptionalConfig('restoreLimits');
  const portal = portalNamespace(tenancy);

  const targetNamespacePatterns = tenancy?.getOptionalStringArray(
    'targetNamespacePatterns',
  ) ?? ['{source}-restore-*'];
  if (targetNamespacePatterns.length === 0) {
    throw new InputError(
      'openebsStorage: tenancy.targetNamespacePatterns must name at least one pattern',
    );
  }

  return {
    veleroNamespace,
    serviceLevels: {
      provisioningSeconds: level('provisioningSeconds'),
      backupSeconds: level('backupSeconds'),
      restoreSeconds: level('restoreSeconds'),
      maxBackupAgeHours: level('maxBackupAgeHours'),
      migrationDowntimeSeconds: level('migrationDowntimeSeconds'),
    },
    restoreTrackingSeconds:
      config?.getOptionalNumber('restoreTracking.frequencySeconds') ?? 5,
    tenancy: {
      ownerAnnotation:
        tenancy?.getOptionalString('ownerAnnotation') ??
        DEFAULT_OWNER_ANNOTATION,
      matchRequesterOwnership:
        tenancy?.getOptionalBoolean('matchRequesterOwnership') ?? false,
      targetNamespacePatterns,
      // Configuration adds to the built-in list; it can never remove from it.
      reservedNamespaces: [
        ...BUILT_IN_RESERVED,
        veleroNamespace,
        ...(portal ? [portal] : []),
        ...(tenancy?.getOptionalStringArray('reservedNamespaces') ?? []),
      ],
    },
    limits: {
      activePerEntity: positiveInteger(limits, 'activePerEntity', 1),
      activePerUser: positiveInteger(limits, 'activePerUser', 2),
    },
    approvers: config?.getOptionalStringArray('approvers') ?? [],
    drills: readDrillConfig(config?.getOptionalConfig('drills')),
    metricsRefreshSeconds: metricsRefreshSeconds(config),
    alertmanagers: (config?.getOptionalConfigArray('alertmanagers') ?? []).map(
      am => ({ cluster: am.getString('cluster'), url: am.getString('url') }),
    ),
    migrationCopyImage:
      config?.getOptionalString('migrations.copyImage') ??
      DEFAULT_MIGRATION_COPY_IMAGE,
  };
}

function metricsRefreshSeconds(config: Config | undefined): number {
  const value = config?.getOptionalNumber('metrics.refreshSeconds') ?? 60;
  if (!Number.isInteger(value) || value < 0) {
    throw new InputError(
      `openebsStorage: metrics.refreshSeconds must be a whole number of seconds (0 turns the gauges off), not ${value}`,
    );
  }
  return value;
}

function readDrillConfig(drills: Config | undefined): DrillConfig {
  return {
    enabled: drills?.getOptionalBoolean('enabled') ?? true,
    scheduled: drills?.getOptionalBoolean('scheduled') ?? true,
    evidenceKey: drills?.getOptionalString('evidenceKey'),
    minimumIntervalHours: positiveInteger(drills, 'minimumIntervalHours', 24),
    unverifiedAfterDays: positiveInteger(drills, 'unverifiedAfterDays', 8),
    readyTimeoutSeconds: positiveInteger(drills, 'readyTimeoutSeconds', 900),
    frequencySeconds: positiveInteger(drills, 'frequencySeconds', 10),
  };
}
