import { isPlanBackupTtl, PLAN } from '../flux/manifests';
import { cronProblem, TTL } from './patterns';
import { memoryMi } from './quantity';

// The plan's rules on what the manifests say (docs/requirements.md): Velero's schedules
// and backup location, and the storage control plane's memory limits.

/** Records a problem at a field of the file being checked. */
export type Report = (field: string, message: string) => void;

/** The value at a dotted path, or undefined where the path leaves objects. */
export function valueAt(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<any>(
      (o, k) => (o && typeof o === 'object' ? o[k] : undefined),
      obj,
    );
}

/** Flux prunes what it applied; a backup owned by its Schedule would go with it. */
function checkNoOwnerReferences(prefix: string, s: any, report: Report) {
  if (s?.useOwnerReferencesInBackup !== false) {
    report(
      `${prefix}.useOwnerReferencesInBackup`,
      'must be false so that Flux pruning never deletes backups',
    );
  }
}

/**
 * Velero writes every object it backs up into the bucket as plain JSON:
 * a Secret in a backup is readable by anyone who can read the bucket.
 */
function checkNoSecrets(prefix: string, s: any, report: Report) {
  const kinds = (list: unknown) =>
    Array.isArray(list) ? list.map(k => String(k).toLowerCase()) : [];
  const isSecrets = (k: string) => /^secrets?(\.|$)/.test(k);
  if (!kinds(s?.template?.excludedResources).some(isSecrets)) {
    report(
      `${prefix}.template.excludedResources`,
      'must list secrets: Velero writes backed-up objects to S3 unencrypted, and Secrets come back from Git (SOPS)',
    );
  }
  if (kinds(s?.template?.includedResources).some(isSecrets)) {
    report(
      `${prefix}.template.includedResources`,
      'must not list secrets: Velero writes backed-up objects to S3 unencrypted',
    );
  }
}

/** What every schedule must say, the plan's and a workload's own. */
function checkScheduleSafety(prefix: string, s: any, report: Report) {
  checkNoOwnerReferences(prefix, s, report);
  checkNoSecrets(prefix, s, report);
}

/** A schedule of the plan's: daily at 02:00 UTC, kept 30 days (AC-002-02). */
export function checkPlanSchedule(prefix: string, s: any, report: Report) {
  if (s?.schedule !== PLAN.backup.schedule) {
    report(
      `${prefix}.schedule`,
      `must be '${PLAN.backup.schedule}' (daily 02:00 UTC, AC-002-02), got '${s?.schedule}'`,
    );
  }
  if (!isPlanBackupTtl(s?.template?.ttl)) {
    report(
      `${prefix}.template.ttl`,
      `must be 720h (30 days, AC-002-02), got '${s?.template?.ttl}'`,
    );
  }
  checkScheduleSafety(prefix, s, report);
}

/** A workload's own schedule: any cron and TTL, well-formed. */
export function checkCustomSchedule(prefix: string, s: any, report: Report) {
  const cron = cronProblem(String(s?.schedule ?? ''));
  if (cron) report(`${prefix}.schedule`, cron);
  if (!TTL.test(String(s?.template?.ttl ?? '')) || !s?.template?.ttl) {
    report(
      `${prefix}.template.ttl`,
      `must be a duration such as 720h0m0s, got '${s?.template?.ttl}'`,
    );
  }
  checkScheduleSafety(prefix, s, report);
}

/**
 * A backup storage location on the plan's bucket over HTTPS, with the
 * settings a non-AWS S3 needs. Takes the BackupStorageLocation spec
 * (`objectStorage.bucket`) and the chart's flattened form (`bucket`).
 */
export function checkBackupStorageLocation(
  prefix: string,
  bsl: any,
  report: Report,
) {
  const bucket = bsl?.objectStorage?.bucket ?? bsl?.bucket;
  const bucketField = bsl?.objectStorage ? 'objectStorage.bucket' : 'bucket';
  if (bucket !== PLAN.backup.bucket) {
    report(
      `${prefix}.${bucketField}`,
      `must be ${PLAN.backup.bucket}, got '${bucket}'`,
    );
  }
  const url = String(bsl?.config?.s3Url ?? '');
  if (!url.startsWith('https://')) {
    report(
      `${prefix}.config.s3Url`,
      `S3 must be reached over HTTPS (NFR-SEC-001), got '${url}'`,
    );
  }
  if (bsl?.config?.s3ForcePathStyle !== 'true') {
    report(
      `${prefix}.config.s3ForcePathStyle`,
      'must be the string "true" for a non-AWS S3',
    );
  }
  if (bsl?.config?.checksumAlgorithm !== '') {
    report(`${prefix}.config.checksumAlgorithm`, 'must be "" for a non-AWS S3');
  }
}

/** The Velero chart's values: its locations, the daily schedule, and FSB instead of snapshots. */
export function checkVeleroValues(values: any, report: Report) {
  const p = 'spec.values';
  const bsls = valueAt(values, 'configuration.backupStorageLocation');
  if (!Array.isArray(bsls) || bsls.length === 0) {
    report(
      `${p}.configuration.backupStorageLocation`,
      'a backup storage location is required',
    );
  } else {
    bsls.forEach((b, i) =>
      checkBackupStorageLocation(
        `${p}.configuration.backupStorageLocation[${i}]`,
        b,
        report,
      ),
    );
  }
  const schedules = valueAt(values, 'schedules') as
    | Record<string, any>
    | undefined;
  if (!schedules || Object.keys(schedules).length === 0) {
    report(`${p}.schedules`, 'the daily schedule is required (AC-002-02)');
  }
  for (const [name, s] of Object.entries(schedules ?? {})) {
    checkPlanSchedule(`${p}.schedules.${name}`, s, report);
  }
  if (values.snapshotsEnabled !== false) {
    report(
      `${p}.snapshotsEnabled`,
      'must be false: hostpath volumes are backed up by FSB',
    );
  }
  if (values.deployNodeAgent !== true) {
    report(`${p}.deployNodeAgent`, 'must be true: FSB needs the node-agent');
  }
}

/** NFR-SCALE-001: every memory limit of the storage control plane under 500Mi, and present. */
export function checkMemoryLimits(values: unknown, report: Report) {
  let found = 0;
  const walk = (v: unknown, path: string[]) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'resources' && child && typeof child === 'object') {
        const limit = valueAt(child, 'limits.memory');
        const field = ['spec.values', ...path, 'resources.limits.memory'].join(
          '.',
        );
        if (limit !== undefined) {
          found++;
          const mi = memoryMi(limit);
          if (mi === undefined)
            report(field, `not a memory quantity: ${limit}`);
          else if (mi >= PLAN.memoryLimitMaxMi) {
            report(
              field,
              `must be under ${PLAN.memoryLimitMaxMi}Mi (NFR-SCALE-001), got ${limit}`,
            );
          }
        }
      }
      walk(child, [...path, k]);
    }
  };
  walk(values, []);
  if (found === 0) {
    report(
      'spec.values',
      `no memory limit set: the storage control plane needs limits under ${PLAN.memoryLimitMaxMi}Mi (NFR-SCALE-001)`,
    );
  }
}
