import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseDocument } from 'yaml';
import {
  generateWorkload,
  namespaceFiles,
  ownerEntityRef,
  WorkloadSpec,
  workloadPaths,
} from '../flux/WorkloadGenerator';
import { DATABASE_ENGINES, workloadDatabaseHooks } from '../flux/databaseHooks';
import { GeneratedFile, PLAN } from '../flux/manifests';
import {
  CRON,
  cronProblem,
  DNS_LABEL,
  EXACT_VERSION,
  TTL,
} from '../validate/patterns';
import {
  listFiles,
  readWorkspaceFileIfExists,
  workspaceFile,
  writeGeneratedFiles,
} from './workspace';

export const FLUX_WORKLOAD_ACTION_ID = 'openebs:flux:workload';

const QUANTITY = /^[1-9][0-9]*(Mi|Gi|Ti)$/;

/**
 * Writes a workload's Flux files (AC-003-01): `kubernetes/apps/<ns>/<app>/ks.yaml`,
 * `app/` (chart source + HelmRelease, or StatefulSet + headless Service with
 * its claim template on an OpenEBS class), `backup/` (a Velero Schedule: FSB,
 * daily 02:00 UTC, 720h by default) and `catalog-info.yaml` with the
 * Kubernetes annotations the Storage tab reads.
 *
 * @public
 */
export function createFluxWorkloadAction() {
  return createTemplateAction({
    id: FLUX_WORKLOAD_ACTION_ID,
    description:
      "Writes a workload's Flux Kustomization, HelmRelease or StatefulSet on OpenEBS LocalPV, Velero Schedule and catalog-info.yaml",
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().max(53).regex(DNS_LABEL).describe('App name'),
        namespace: z =>
          z.string().max(63).regex(DNS_LABEL).describe('Kubernetes namespace'),
        owner: z => z.string().min(1).describe('Owner entity ref'),
        system: z => z.string().optional().describe('System entity ref'),
        description: z => z.string().optional(),
        lifecycle: z => z.string().default('production'),
        storageClass: z =>
          z
            .enum([PLAN.storageClasses.hostpath, PLAN.storageClasses.device])
            .default(PLAN.storageClasses.hostpath)
            .describe('OpenEBS StorageClass of the volume'),
        size: z =>
          z.string().regex(QUANTITY, 'e.g. 10Gi').describe('Volume size'),
        backup: z =>
          z
            .object({
              enabled: z.boolean().default(true),
              schedule: z.string().regex(CRON).default(PLAN.backup.schedule),
              ttl: z.string().regex(TTL).default(PLAN.backup.ttl),
              drill: z
                .enum(['none', 'weekly', 'daily'])
                .default('weekly')
                .describe(
                  'Restore drills of the workload (the portal restores its newest backup into a scratch namespace and checks it)',
                ),
              drillVerify: z
                .string()
                .max(2000)
                .optional()
                .describe(
                  'A shell command each drill runs in the restored pod; exit 0 passes (a row count, a checksum check)',
                ),
            })
            .optional()
            .describe('Velero file-system backup of the volume'),
        kind: z =>
          z
            .enum(['helm', 'statefulset'])
            .describe('A Helm chart, or a StatefulSet of one image'),
        chart: z =>
          z
            .object({
              repository: z
                .string()
                .regex(/^(https|oci):\/\//, 'https:// or oci://')
                .optional(),
              name: z.string().min(1).optional(),
              version: z
                .string()
                .regex(EXACT_VERSION, 'an exact version')
                .optional(),
              values: z.record(z.unknown()).optional(),
              persistenceValuesPath: z.string().optional(),
            })
            .optional()
            .describe(
              'The chart, when kind is helm (a template passes it whatever the kind; empty fields are dropped)',
            ),
        image: z =>
          z
            .string()
            .regex(/^\S+:\S+$|^\S+@sha256:[0-9a-f]{64}$/, 'a tag or digest')
            .optional(),
        port: z => z.number().int().min(1).max(65535).optional(),
        replicas: z => z.number().int().min(1).max(10).optional(),
        mountPath: z => z.string().regex(/^\//).optional(),
        memoryRequest: z => z.string().optional(),
        memoryLimit: z => z.string().optional(),
        secretName: z =>
          z
            .string()
            .regex(DNS_LABEL)
            .optional()
            .describe(
              'A SOPS Secret in app/ to deploy (openebs:sops:encrypt writes it)',
            ),
        database: z =>
          z
            .object({
              engine: z.enum(['none', ...DATABASE_ENGINES]).default('none'),
              container: z.string().regex(DNS_LABEL).optional(),
              dumpDir: z.string().regex(/^\//).optional(),
            })
            .optional()
            .describe(
              "Velero hooks for a database: a dump onto its volume before each backup, a check after each restore (a chart's container and dumpDir must be given)",
            ),
        namespaceFiles: z =>
          z
            .boolean()
            .default(true)
            .describe(
              'Also write or extend kubernetes/apps/<ns>/{namespace,kustomization}.yaml',
            ),
        serviceAccountName: z =>
          z
            .string()
            .regex(DNS_LABEL)
            .optional()
            .describe(
              "A tenant's service account in the app's namespace that Flux applies the app as (multi-tenant repositories)",
            ),
        sopsDecryption: z =>
          z
            .enum(['secret', 'controller'])
            .default('secret')
            .describe(
              "Where Flux finds the cluster's age key: a Secret in the Kustomizations' namespace (sopsSecret), or the kustomize-controller's own (--sops-age-secret)",
            ),
        sopsSecret: z =>
          z
            .string()
            .regex(DNS_LABEL)
            .default(PLAN.flux.sopsSecret)
            .describe(
              "The age key's Secret in the Kustomizations' namespace, with sopsDecryption 'secret'",
            ),
        overwrite: z =>
          z
            .boolean()
            .default(false)
            .describe('Replace existing files that differ'),
      },
      output: {
        files: z => z.array(z.string()),
        ksPath: z => z.string(),
        appPath: z => z.string(),
        catalogInfoPath: z => z.string(),
        secretPath: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const i = ctx.input;
      const paths = workloadPaths(i.namespace, i.name);
      let workload: WorkloadSpec['workload'];
      if (i.kind === 'helm') {
        const { repository, name, version } = i.chart ?? {};
        if (!repository || !name || !version) {
          throw new InputError(
            'chart: repository, name and version are required when kind is helm',
          );
        }
        workload = {
          type: 'helm',
          chart: { ...i.chart, repository, name, version },
        };
      } else {
        if (!i.image) {
          throw new InputError('image: required when kind is statefulset');
        }
        workload = {
          type: 'statefulset',
          container: {
            image: i.image,
            port: i.port,
            replicas: i.replicas,
            mountPath: i.mountPath,
            memoryRequest: i.memoryRequest,
            memoryLimit: i.memoryLimit,
          },
        };
      }
      const secretFile = i.secretName ? `${i.secretName}.sops.yaml` : undefined;
      // The repository's (openebs:repository:read put it here), if any.
      const nsKustomization = await readWorkspaceFileIfExists(
        ctx.workspacePath,
        paths.nsKustomization,
      );
      const spec: WorkloadSpec = {
        name: i.name,
        namespace: i.namespace,
        owner: ownerEntityRef(i.owner),
        system: i.system,
        description: i.description,
        lifecycle: i.lifecycle,
        storage: {
          className: i.storageClass ?? PLAN.storageClasses.hostpath,
          size: i.size,
        },
        backup: {
          enabled: i.backup?.enabled ?? true,
          schedule: checkedCron(i.backup?.schedule ?? PLAN.backup.schedule),
          ttl: i.backup?.ttl ?? PLAN.backup.ttl,
          drill:
            i.backup?.drill === 'none'
              ? undefined
              : i.backup?.drill ?? 'weekly',
          drillVerify: i.backup?.drillVerify?.trim() || undefined,
        },
        secret:
          i.secretName && secretFile
            ? { name: i.secretName, file: secretFile }
            : undefined,
        workload,
        database: workloadDatabaseHooks(
          i.database,
          i.kind === 'helm'
            ? { type: 'helm' }
            : { type: 'statefulset', name: i.name, mountPath: i.mountPath },
        ),
        flux: {
          serviceAccountName: i.serviceAccountName,
          namespaceFromLayout: setsNamespace(nsKustomization),
          sopsKey:
            i.sopsDecryption === 'controller'
              ? 'controller'
              : { secret: i.sopsSecret },
        },
      };

      const files: GeneratedFile[] = generateWorkload(spec);
      if (!i.overwrite) {
        await refuseExistingApp(ctx.workspacePath, paths.dir, [
          ...files,
          // Written by openebs:sops:encrypt after this step (a retried task).
          ...(secretFile ? [{ path: `${paths.app}/${secretFile}` }] : []),
        ]);
      }
      const merged: string[] = [];
      if (i.namespaceFiles ?? true) {
        const read = (path: string) =>
          readWorkspaceFileIfExists(ctx.workspacePath, path);
        files.push(
          ...namespaceFiles(i.namespace, i.name, spec.owner, {
            kustomization: nsKustomization,
            namespace: await read(paths.namespaceFile),
            appsKustomization: await read(paths.appsKustomization),
          }),
        );
        merged.push(
          paths.nsKustomization,
          paths.namespaceFile,
          paths.appsKustomization,
        );
      }
      const results = await writeGeneratedFiles(ctx.workspacePath, files, {
        overwrite: i.overwrite,
        merged,
      });
      ctx.logger.info('wrote Flux workload files', {
        app: `${i.namespace}/${i.name}`,
        kind: i.kind,
        storageClass: spec.storage.className,
        ...results,
        dryRun: Boolean(ctx.isDryRun),
      });
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('ksPath', paths.ks);
      ctx.output('appPath', paths.app);
      ctx.output('catalogInfoPath', paths.catalogInfo);
      if (secretFile) ctx.output('secretPath', `${paths.app}/${secretFile}`);
    },
  });
}

/**
 * An app directory the repository already has (read into the workspace by
 * openebs:repository:read) is another workload of that name: refused with
 * the reason, never overwritten file by file. Only this app's own files, as
 * this run generates them, may be there (a retried task); a file listed
 * without content may hold anything (the encrypted Secret).
 */
async function refuseExistingApp(
  workspacePath: string,
  dir: string,
  own: { path: string; content?: string }[],
) {
  let existing: string[];
  try {
    existing = await listFiles(
      workspacePath,
      workspaceFile(workspacePath, dir),
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const foreign: string[] = [];
  for (const path of existing) {
    const mine = own.find(f => f.path === path);
    if (mine && mine.content === undefined) continue;
    if (
      mine?.content === (await readWorkspaceFileIfExists(workspacePath, path))
    ) {
      continue;
    }
    foreign.push(path);
  }
  if (foreign.length) {
    throw new ConflictError(
      `${dir} already exists in the repository (${foreign.join(
        ', ',
      )}): choose another name, or set overwrite: true to replace that app`,
    );
  }
}

function checkedCron(schedule: string): string {
  const problem = cronProblem(schedule);
  if (problem) throw new InputError(`backup.schedule: ${problem}`);
  return schedule;
}

/**
 * Whether the namespace's kustomization.yaml (read from the repository)
 * sets `namespace:`, as many Flux repositories do: it then moves the Flux
 * Kustomizations too, so they must not name flux-system themselves.
 */
function setsNamespace(kustomization: string | undefined): boolean {
  if (kustomization === undefined) return false;
  const doc = parseDocument(kustomization);
  return !doc.errors.length && typeof doc.get('namespace') === 'string';
}
