import { posix } from 'node:path';
import { z } from 'zod';
import { API } from '../flux/manifests';
import { PLATFORM_CHARTS } from '../flux/platformSpec';
import {
  checkBackupStorageLocation,
  checkCustomSchedule,
  checkMemoryLimits,
  checkPlanSchedule,
  checkVeleroValues,
  Report,
  valueAt,
} from './planRules';
import {
  fluxKustomizationSpec,
  helmReleaseSpec,
  scheduleSpec,
} from './schemas';

/** What a checker sees besides its object: the file, and the whole tree. */
export type CheckContext = {
  file: string;
  report: Report;
  allowCustomWorkloadSchedules: boolean;
  /** Every file of the tree, normalized: kustomizations must list existing ones. */
  paths: Set<string>;
  /** The URL of each OCIRepository by name: a chartRef names its chart through it. */
  ociSources: Map<string, string>;
  /** StorageClasses found in the tree, for the one-default rule (AC-001-04). */
  storageClasses: { defined: number; defaults: string[] };
};

type KindChecker = (obj: any, ctx: CheckContext) => void;

const ENCRYPTED =
  /^ENC\[AES256_GCM,data:.+,iv:.+,tag:.+,type:(str|int|float|bool|bytes)\]$/;
const PLAIN_FOR_FLUX =
  'must stay in plain text for Flux (encrypted_regex ^(data|stringData)$)';
const PLATFORM_CHART_NAMES: string[] = Object.values(PLATFORM_CHARTS).map(
  c => c.name,
);

function checkStrict(
  schema: z.ZodTypeAny,
  value: unknown,
  prefix: string,
  { report }: CheckContext,
) {
  const r = schema.safeParse(value);
  if (!r.success) {
    for (const issue of r.error.issues) {
      report([prefix, ...issue.path].join('.'), issue.message);
    }
  }
}

/** Flux serves old API versions for a while; we write, and accept, the current one. */
function checkApiVersion(obj: any, expected: string, { report }: CheckContext) {
  if (obj.apiVersion !== expected) {
    report('apiVersion', `must be ${expected}, got ${obj.apiVersion}`);
  }
}

function checkFluxKustomization(obj: any, ctx: CheckContext) {
  checkApiVersion(obj, API.kustomization, ctx);
  checkStrict(fluxKustomizationSpec, obj.spec, 'spec', ctx);
}

/** The release's chart, named directly or through its OCIRepository's URL. */
function chartName(spec: any, ctx: CheckContext): string | undefined {
  return (
    spec?.chart?.spec?.chart ??
    (spec?.chartRef?.kind === 'OCIRepository'
      ? ctx.ociSources.get(spec.chartRef.name)?.split('/').pop()
      : undefined)
  );
}

function checkHelmRelease(obj: any, ctx: CheckContext) {
  checkApiVersion(obj, API.helmRelease, ctx);
  checkStrict(helmReleaseSpec, obj.spec, 'spec', ctx);
  const chart = chartName(obj.spec, ctx);
  const values = obj.spec?.values ?? {};
  if (chart && PLATFORM_CHART_NAMES.includes(chart)) {
    checkMemoryLimits(values, ctx.report);
  }
  if (chart === PLATFORM_CHARTS.velero.name) {
    checkVeleroValues(values, ctx.report);
  }
  if (
    chart === PLATFORM_CHARTS.localpv.name &&
    valueAt(values, 'hostpathClass.enabled') !== false
  ) {
    // The chart's hostpath class is a StorageClass of the tree too.
    ctx.storageClasses.defined++;
    if (valueAt(values, 'hostpathClass.isDefaultClass') === true) {
      const name = valueAt(values, 'hostpathClass.name') ?? 'openebs-hostpath';
      ctx.storageClasses.defaults.push(`${String(name)} (${ctx.file})`);
    }
  }
}

function checkFluxSource(obj: any, ctx: CheckContext) {
  checkApiVersion(obj, API.source, ctx);
  const url = String(obj.spec?.url ?? '');
  if (obj.kind === 'OCIRepository' && !url.startsWith('oci://')) {
    ctx.report('spec.url', `must be an oci:// URL, got ${url}`);
  }
  if (obj.kind === 'HelmRepository' && !/^(https|oci):\/\//.test(url)) {
    ctx.report('spec.url', `must be https:// or oci://, got ${url}`);
  }
}

function checkVeleroSchedule(obj: any, ctx: CheckContext) {
  checkStrict(scheduleSpec, obj.spec, 'spec', ctx);
  const check = ctx.allowCustomWorkloadSchedules
    ? checkCustomSchedule
    : checkPlanSchedule;
  check('spec', obj.spec, ctx.report);
}

/** NFR-SEC-001: SOPS-encrypted, value by value, with Flux's fields in plain text. */
function checkSecret(obj: any, { report }: CheckContext) {
  const sops = obj.sops;
  if (!sops) {
    report('sops', 'every Secret must be SOPS-encrypted (NFR-SEC-001)');
    return;
  }
  if (!Array.isArray(sops.age) || sops.age.length === 0) {
    report('sops.age', 'no age recipients');
  }
  if (!ENCRYPTED.test(String(sops.mac ?? ''))) {
    report('sops.mac', 'missing or not encrypted');
  }
  for (const field of ['data', 'stringData']) {
    for (const [k, v] of Object.entries(obj[field] ?? {})) {
      if (v !== '' && !ENCRYPTED.test(String(v))) {
        report(`${field}.${k}`, 'value is not encrypted');
      }
    }
  }
  for (const field of ['apiVersion', 'kind']) {
    if (ENCRYPTED.test(String(obj[field]))) report(field, PLAIN_FOR_FLUX);
  }
  if (
    typeof obj.metadata !== 'object' ||
    ENCRYPTED.test(String(obj.metadata?.name))
  ) {
    report('metadata', PLAIN_FOR_FLUX);
  }
}

function checkStorageClass(obj: any, ctx: CheckContext) {
  ctx.storageClasses.defined++;
  const isDefault =
    obj.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'];
  if (isDefault === 'true') {
    ctx.storageClasses.defaults.push(`${obj.metadata?.name} (${ctx.file})`);
  } else if (isDefault !== undefined && isDefault !== 'false') {
    ctx.report(
      'metadata.annotations.storageclass.kubernetes.io/is-default-class',
      'must be the string "true" or "false"',
    );
  }
}

/** kustomize fails on a missing resource; remote ones are not ours to check. */
function checkKustomizeResources(obj: any, ctx: CheckContext) {
  const resources = Array.isArray(obj.resources) ? obj.resources : [];
  for (const [i, r] of resources.entries()) {
    const ref = String(r);
    if (/^[a-z]+:\/\//.test(ref)) continue;
    const target = posix.normalize(posix.join(posix.dirname(ctx.file), ref));
    const exists =
      ctx.paths.has(target) ||
      [...ctx.paths].some(p => p.startsWith(`${target}/`));
    if (!exists) ctx.report(`resources[${i}]`, `${ref} does not exist`);
  }
}

/**
 * The checker of each kind, by `<apiVersion>/<kind>`. The Flux groups are
 * keyed by group alone: every version of their kinds is checked, so that an
 * old version is named rather than passed over. Other kinds pass unchecked.
 */
const KIND_CHECKERS = new Map<string, KindChecker>([
  ['kustomize.toolkit.fluxcd.io', checkFluxKustomization],
  ['helm.toolkit.fluxcd.io', checkHelmRelease],
  ['source.toolkit.fluxcd.io', checkFluxSource],
  [`${API.velero}/Schedule`, checkVeleroSchedule],
  [
    `${API.velero}/BackupStorageLocation`,
    (obj, ctx) => checkBackupStorageLocation('spec', obj.spec, ctx.report),
  ],
  ['v1/Secret', checkSecret],
  ['storage.k8s.io/v1/StorageClass', checkStorageClass],
  [`${API.kustomizeConfig}/Kustomization`, checkKustomizeResources],
]);

export function kindChecker(
  apiVersion: string,
  kind: string,
): KindChecker | undefined {
  return (
    KIND_CHECKERS.get(apiVersion.split('/')[0]) ??
    KIND_CHECKERS.get(`${apiVersion}/${kind}`)
  );
}

/** The repository's .sops.yaml: age recipients, and only data encrypted. */
export function checkSopsConfig(obj: any, { report }: CheckContext) {
  const rules = obj?.creation_rules;
  if (!Array.isArray(rules) || rules.length === 0) {
    report('creation_rules', 'at least one creation rule is required');
    return;
  }
  rules.forEach((r: any, i: number) => {
    if (!r?.age) {
      report(
        `creation_rules[${i}].age`,
        'age recipients are required (NFR-SEC-001)',
      );
    }
    if (r?.encrypted_regex !== '^(data|stringData)$') {
      report(
        `creation_rules[${i}].encrypted_regex`,
        "must be '^(data|stringData)$' so that Flux can read apiVersion, kind and metadata",
      );
    }
  });
}
