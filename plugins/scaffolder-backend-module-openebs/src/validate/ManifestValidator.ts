import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { API, PLAN } from '../flux/manifests';

/** One broken rule: the file, the field in it, and what is wrong. */
export type Problem = { file: string; field: string; message: string };

export type ManifestFile = { path: string; content: string };

export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.field}: ${p.message}`;
}

const EXACT_VERSION = /^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/;
const DURATION = z.string().regex(/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/);
const ENCRYPTED =
  /^ENC\[AES256_GCM,data:.+,iv:.+,tag:.+,type:(str|int|float|bool|bytes)\]$/;
const PLATFORM_CHARTS = ['velero', 'localpv-provisioner', 'lvm-localpv'];

const crossRef = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string(),
    name: z.string(),
    namespace: z.string().optional(),
  })
  .strict();

/** kustomize.toolkit.fluxcd.io/v1 Kustomization spec, strict. */
const fluxKustomizationSpec = z
  .object({
    commonMetadata: z
      .object({
        labels: z.record(z.string()).optional(),
        annotations: z.record(z.string()).optional(),
      })
      .strict()
      .optional(),
    components: z.array(z.string()).optional(),
    decryption: z
      .object({
        provider: z.literal('sops'),
        secretRef: z.object({ name: z.string() }).strict().optional(),
        serviceAccountName: z.string().optional(),
      })
      .strict()
      .optional(),
    deletionPolicy: z
      .enum(['MirrorPrune', 'Delete', 'WaitForTermination', 'Orphan'])
      .optional(),
    dependsOn: z
      .array(
        z
          .object({
            name: z.string(),
            namespace: z.string().optional(),
            readyExpr: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
    force: z.boolean().optional(),
    healthChecks: z.array(crossRef).optional(),
    healthCheckExprs: z.array(z.record(z.string())).optional(),
    ignoreMissingComponents: z.boolean().optional(),
    images: z.array(z.record(z.unknown())).optional(),
    interval: DURATION,
    kubeConfig: z.record(z.unknown()).optional(),
    namePrefix: z.string().optional(),
    nameSuffix: z.string().optional(),
    patches: z.array(z.record(z.unknown())).optional(),
    path: z.string().regex(/^\.\//, 'must start with ./').optional(),
    postBuild: z.record(z.unknown()).optional(),
    prune: z.boolean(),
    retryInterval: DURATION.optional(),
    serviceAccountName: z.string().optional(),
    sourceRef: crossRef,
    suspend: z.boolean().optional(),
    targetNamespace: z.string().optional(),
    timeout: DURATION.optional(),
    wait: z.boolean().optional(),
  })
  .strict();

/** helm.toolkit.fluxcd.io/v2 HelmRelease spec, strict at the top and in chart. */
const helmReleaseSpec = z
  .object({
    chart: z
      .object({
        metadata: z.record(z.unknown()).optional(),
        spec: z
          .object({
            chart: z.string(),
            version: z
              .string()
              .regex(EXACT_VERSION, 'must pin an exact chart version'),
            sourceRef: crossRef,
            interval: DURATION.optional(),
            reconcileStrategy: z.string().optional(),
            valuesFiles: z.array(z.string()).optional(),
            ignoreMissingValuesFiles: z.boolean().optional(),
            verify: z.record(z.unknown()).optional(),
          })
          .strict(),
      })
      .strict()
      .optional(),
    chartRef: crossRef.optional(),
    commonMetadata: z.record(z.unknown()).optional(),
    dependsOn: z.array(z.record(z.unknown())).optional(),
    driftDetection: z.record(z.unknown()).optional(),
    install: z.record(z.unknown()).optional(),
    interval: DURATION,
    kubeConfig: z.record(z.unknown()).optional(),
    maxHistory: z.number().int().optional(),
    persistentClient: z.boolean().optional(),
    postRenderers: z.array(z.record(z.unknown())).optional(),
    releaseName: z.string().optional(),
    rollback: z.record(z.unknown()).optional(),
    serviceAccountName: z.string().optional(),
    storageNamespace: z.string().optional(),
    suspend: z.boolean().optional(),
    targetNamespace: z.string().optional(),
    test: z.record(z.unknown()).optional(),
    timeout: DURATION.optional(),
    uninstall: z.record(z.unknown()).optional(),
    upgrade: z.record(z.unknown()).optional(),
    values: z.record(z.unknown()).optional(),
    valuesFrom: z.array(z.record(z.unknown())).optional(),
  })
  .strict()
  .refine(s => Boolean(s.chart) !== Boolean(s.chartRef), {
    message: 'exactly one of chart and chartRef is required',
  });

/** velero.io/v1 Schedule spec, strict at the top. */
const scheduleSpec = z
  .object({
    schedule: z.string(),
    template: z.record(z.unknown()),
    useOwnerReferencesInBackup: z.boolean().optional(),
    paused: z.boolean().optional(),
    skipImmediately: z.boolean().optional(),
  })
  .strict();

/** A Kubernetes memory quantity in MiB (binary and decimal suffixes). */
export function memoryMi(quantity: unknown): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(
    String(quantity ?? ''),
  );
  if (!m) return undefined;
  const n = Number(m[1]);
  const factor: Record<string, number> = {
    '': 1 / 1024 ** 2,
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    Ti: 1024 ** 2,
    k: 1000 / 1024 ** 2,
    M: 1000 ** 2 / 1024 ** 2,
    G: 1000 ** 3 / 1024 ** 2,
    T: 1000 ** 4 / 1024 ** 2,
  };
  return n * factor[m[2] ?? ''];
}

function isTtl720h(ttl: unknown): boolean {
  return ttl === '720h' || ttl === '720h0m0s' || ttl === '720h0m';
}

function get(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<any>(
      (o, k) => (o && typeof o === 'object' ? o[k] : undefined),
      obj,
    );
}

type Doc = { file: string; index: number; obj: any };

/**
 * Checks generated manifests against strict schemas for the kinds we write
 * and against the plan's rules. Every problem names its file and field.
 */
export type ValidatorOptions = {
  /**
   * Let Velero Schedule objects (a workload's own) use another cron and TTL;
   * the platform's schedules must still be the plan's.
   */
  allowCustomWorkloadSchedules?: boolean;
};

export class ManifestValidator {
  constructor(private readonly options: ValidatorOptions = {}) {}

  validate(files: ManifestFile[]): Problem[] {
    const problems: Problem[] = [];
    const add = (file: string, field: string, message: string) =>
      problems.push({ file, field, message });
    const docs: Doc[] = [];
    const paths = new Set(files.map(f => posix.normalize(f.path)));

    for (const f of files) {
      if (!/\.ya?ml$/.test(f.path)) continue;
      const parsed = parseAllDocuments(f.content);
      const list = Array.isArray(parsed) ? parsed : [parsed];
      list.forEach((d, index) => {
        if (d.errors.length) {
          add(
            f.path,
            `document ${index + 1}`,
            `invalid YAML: ${d.errors[0].message}`,
          );
          return;
        }
        const obj = d.toJS();
        if (obj === null || obj === undefined) return;
        docs.push({ file: f.path, index, obj });
      });
    }

    const defaultClasses: string[] = [];
    let classDefinitions = 0;
    const ociSources = new Map<string, string>();
    for (const { obj } of docs) {
      if (obj?.kind === 'OCIRepository') {
        ociSources.set(obj.metadata?.name, String(obj.spec?.url ?? ''));
      }
    }

    for (const { file, obj } of docs) {
      const base = posix.basename(file);
      if (base === '.sops.yaml') {
        this.checkSopsConfig(file, obj, add);
        continue;
      }
      if (base === 'catalog-info.yaml') continue;
      if (
        typeof obj !== 'object' ||
        typeof obj.apiVersion !== 'string' ||
        typeof obj.kind !== 'string'
      ) {
        add(
          file,
          'apiVersion/kind',
          'every manifest needs apiVersion and kind',
        );
        continue;
      }
      const { apiVersion, kind } = obj;
      const group = apiVersion.split('/')[0];

      const strict = (schema: z.ZodTypeAny, value: unknown, prefix: string) => {
        const r = schema.safeParse(value);
        if (!r.success) {
          for (const issue of r.error.issues) {
            add(file, [prefix, ...issue.path].join('.'), issue.message);
          }
        }
      };

      if (group === 'kustomize.toolkit.fluxcd.io') {
        if (apiVersion !== API.kustomization) {
          add(
            file,
            'apiVersion',
            `must be ${API.kustomization}, got ${apiVersion}`,
          );
        }
        strict(fluxKustomizationSpec, obj.spec, 'spec');
      } else if (group === 'helm.toolkit.fluxcd.io') {
        if (apiVersion !== API.helmRelease) {
          add(
            file,
            'apiVersion',
            `must be ${API.helmRelease}, got ${apiVersion}`,
          );
        }
        strict(helmReleaseSpec, obj.spec, 'spec');
        const chart: string | undefined =
          obj.spec?.chart?.spec?.chart ??
          (obj.spec?.chartRef?.kind === 'OCIRepository'
            ? ociSources.get(obj.spec.chartRef.name)?.split('/').pop()
            : undefined);
        const values = obj.spec?.values ?? {};
        if (chart && PLATFORM_CHARTS.includes(chart)) {
          this.checkMemoryLimits(file, values, add);
        }
        if (chart === 'velero') this.checkVeleroValues(file, values, add);
        if (chart === 'localpv-provisioner') {
          const cls = get(values, 'hostpathClass');
          if (get(values, 'hostpathClass.enabled') !== false) {
            classDefinitions++;
            if (get(values, 'hostpathClass.isDefaultClass') === true) {
              defaultClasses.push(
                `${String(get(cls, 'name') ?? 'openebs-hostpath')} (${file})`,
              );
            }
          }
        }
      } else if (group === 'source.toolkit.fluxcd.io') {
        if (apiVersion !== API.source) {
          add(file, 'apiVersion', `must be ${API.source}, got ${apiVersion}`);
        }
        const url = String(obj.spec?.url ?? '');
        if (kind === 'OCIRepository' && !url.startsWith('oci://')) {
          add(file, 'spec.url', `must be an oci:// URL, got ${url}`);
        }
        if (kind === 'HelmRepository' && !/^(https|oci):\/\//.test(url)) {
          add(file, 'spec.url', `must be https:// or oci://, got ${url}`);
        }
      } else if (apiVersion === API.velero && kind === 'Schedule') {
        strict(scheduleSpec, obj.spec, 'spec');
        if (this.options.allowCustomWorkloadSchedules) {
          this.checkCustomSchedule(file, 'spec', obj.spec, add);
        } else {
          this.checkSchedule(file, 'spec', obj.spec, add);
        }
      } else if (
        apiVersion === API.velero &&
        kind === 'BackupStorageLocation'
      ) {
        this.checkBsl(file, 'spec', obj.spec, add);
      } else if (apiVersion === 'v1' && kind === 'Secret') {
        this.checkSecret(file, obj, add);
      } else if (
        apiVersion === 'storage.k8s.io/v1' &&
        kind === 'StorageClass'
      ) {
        classDefinitions++;
        const a =
          obj.metadata?.annotations?.[
            'storageclass.kubernetes.io/is-default-class'
          ];
        if (a === 'true')
          defaultClasses.push(`${obj.metadata?.name} (${file})`);
        else if (a !== undefined && a !== 'false') {
          add(
            file,
            'metadata.annotations.storageclass.kubernetes.io/is-default-class',
            'must be the string "true" or "false"',
          );
        }
      } else if (
        apiVersion === API.kustomizeConfig &&
        kind === 'Kustomization'
      ) {
        for (const [i, r] of (Array.isArray(obj.resources)
          ? obj.resources
          : []
        ).entries()) {
          const ref = String(r);
          if (/^[a-z]+:\/\//.test(ref)) continue;
          const target = posix.normalize(posix.join(posix.dirname(file), ref));
          const exists =
            paths.has(target) ||
            [...paths].some(p => p.startsWith(`${target}/`));
          if (!exists) add(file, `resources[${i}]`, `${ref} does not exist`);
        }
      }
    }

    if (classDefinitions > 0 && defaultClasses.length !== 1) {
      add(
        '<all files>',
        'StorageClass default',
        `exactly one default StorageClass is required (AC-001-04), found ${
          defaultClasses.length
        }${defaultClasses.length ? `: ${defaultClasses.join(', ')}` : ''}`,
      );
    }
    return problems;
  }

  private checkSopsConfig(file: string, obj: any, add: AddFn) {
    const rules = obj?.creation_rules;
    if (!Array.isArray(rules) || rules.length === 0) {
      add(file, 'creation_rules', 'at least one creation rule is required');
      return;
    }
    rules.forEach((r: any, i: number) => {
      if (!r?.age)
        add(
          file,
          `creation_rules[${i}].age`,
          'age recipients are required (NFR-SEC-001)',
        );
      if (r?.encrypted_regex !== '^(data|stringData)$') {
        add(
          file,
          `creation_rules[${i}].encrypted_regex`,
          "must be '^(data|stringData)$' so that Flux can read apiVersion, kind and metadata",
        );
      }
    });
  }

  private checkSecret(file: string, obj: any, add: AddFn) {
    const sops = obj.sops;
    if (!sops) {
      add(file, 'sops', 'every Secret must be SOPS-encrypted (NFR-SEC-001)');
      return;
    }
    if (!Array.isArray(sops.age) || sops.age.length === 0) {
      add(file, 'sops.age', 'no age recipients');
    }
    if (!ENCRYPTED.test(String(sops.mac ?? ''))) {
      add(file, 'sops.mac', 'missing or not encrypted');
    }
    for (const field of ['data', 'stringData']) {
      for (const [k, v] of Object.entries(obj[field] ?? {})) {
        if (v !== '' && !ENCRYPTED.test(String(v))) {
          add(file, `${field}.${k}`, 'value is not encrypted');
        }
      }
    }
    for (const field of ['apiVersion', 'kind']) {
      if (ENCRYPTED.test(String(obj[field]))) {
        add(
          file,
          field,
          'must stay in plain text for Flux (encrypted_regex ^(data|stringData)$)',
        );
      }
    }
    if (
      typeof obj.metadata !== 'object' ||
      ENCRYPTED.test(String(obj.metadata?.name))
    ) {
      add(
        file,
        'metadata',
        'must stay in plain text for Flux (encrypted_regex ^(data|stringData)$)',
      );
    }
  }

  private checkSchedule(file: string, prefix: string, s: any, add: AddFn) {
    if (s?.schedule !== PLAN.backup.schedule) {
      add(
        file,
        `${prefix}.schedule`,
        `must be '${PLAN.backup.schedule}' (daily 02:00 UTC, AC-002-02), got '${s?.schedule}'`,
      );
    }
    if (!isTtl720h(s?.template?.ttl)) {
      add(
        file,
        `${prefix}.template.ttl`,
        `must be 720h (30 days, AC-002-02), got '${s?.template?.ttl}'`,
      );
    }
    if (s?.useOwnerReferencesInBackup !== false) {
      add(
        file,
        `${prefix}.useOwnerReferencesInBackup`,
        'must be false so that Flux pruning never deletes backups',
      );
    }
  }

  private checkCustomSchedule(
    file: string,
    prefix: string,
    s: any,
    add: AddFn,
  ) {
    if (!/^(\S+\s+){4}\S+$/.test(String(s?.schedule ?? ''))) {
      add(
        file,
        `${prefix}.schedule`,
        `must be a five-field cron expression, got '${s?.schedule}'`,
      );
    }
    if (
      !/^([0-9]+h)?([0-9]+m)?([0-9]+s)?$/.test(
        String(s?.template?.ttl ?? ''),
      ) ||
      !s?.template?.ttl
    ) {
      add(
        file,
        `${prefix}.template.ttl`,
        `must be a duration such as 720h0m0s, got '${s?.template?.ttl}'`,
      );
    }
    if (s?.useOwnerReferencesInBackup !== false) {
      add(
        file,
        `${prefix}.useOwnerReferencesInBackup`,
        'must be false so that Flux pruning never deletes backups',
      );
    }
  }

  private checkBsl(file: string, prefix: string, bsl: any, add: AddFn) {
    const bucket = bsl?.objectStorage?.bucket ?? bsl?.bucket;
    const bucketField = bsl?.objectStorage ? 'objectStorage.bucket' : 'bucket';
    if (bucket !== PLAN.backup.bucket) {
      add(
        file,
        `${prefix}.${bucketField}`,
        `must be ${PLAN.backup.bucket}, got '${bucket}'`,
      );
    }
    const url = String(bsl?.config?.s3Url ?? '');
    if (!url.startsWith('https://')) {
      add(
        file,
        `${prefix}.config.s3Url`,
        `S3 must be reached over HTTPS (NFR-SEC-001), got '${url}'`,
      );
    }
    if (bsl?.config?.s3ForcePathStyle !== 'true') {
      add(
        file,
        `${prefix}.config.s3ForcePathStyle`,
        'must be the string "true" for a non-AWS S3',
      );
    }
    if (bsl?.config?.checksumAlgorithm !== '') {
      add(
        file,
        `${prefix}.config.checksumAlgorithm`,
        'must be "" for a non-AWS S3',
      );
    }
  }

  private checkVeleroValues(file: string, values: any, add: AddFn) {
    const p = 'spec.values';
    const bsls = get(values, 'configuration.backupStorageLocation');
    if (!Array.isArray(bsls) || bsls.length === 0) {
      add(
        file,
        `${p}.configuration.backupStorageLocation`,
        'a backup storage location is required',
      );
    } else {
      bsls.forEach((b, i) =>
        this.checkBsl(
          file,
          `${p}.configuration.backupStorageLocation[${i}]`,
          b,
          add,
        ),
      );
    }
    const schedules = get(values, 'schedules') as
      | Record<string, any>
      | undefined;
    if (!schedules || Object.keys(schedules).length === 0) {
      add(file, `${p}.schedules`, 'the daily schedule is required (AC-002-02)');
    }
    for (const [name, s] of Object.entries(schedules ?? {})) {
      this.checkSchedule(file, `${p}.schedules.${name}`, s, add);
    }
    if (values.snapshotsEnabled !== false) {
      add(
        file,
        `${p}.snapshotsEnabled`,
        'must be false: hostpath volumes are backed up by FSB',
      );
    }
    if (values.deployNodeAgent !== true) {
      add(
        file,
        `${p}.deployNodeAgent`,
        'must be true: FSB needs the node-agent',
      );
    }
  }

  /** NFR-SCALE-001: every memory limit of the storage control plane under 500Mi, and present. */
  private checkMemoryLimits(file: string, values: unknown, add: AddFn) {
    let found = 0;
    const walk = (v: unknown, path: string[]) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return;
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        if (k === 'resources' && child && typeof child === 'object') {
          const limit = get(child, 'limits.memory');
          const field = [
            'spec.values',
            ...path,
            'resources.limits.memory',
          ].join('.');
          if (limit !== undefined) {
            found++;
            const mi = memoryMi(limit);
            if (mi === undefined)
              add(file, field, `not a memory quantity: ${limit}`);
            else if (mi >= PLAN.memoryLimitMaxMi) {
              add(
                file,
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
      add(
        file,
        'spec.values',
        `no memory limit set: the storage control plane needs limits under ${PLAN.memoryLimitMaxMi}Mi (NFR-SCALE-001)`,
      );
    }
  }
}

type AddFn = (file: string, field: string, message: string) => void;
