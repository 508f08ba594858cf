import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PLAN } from '../flux/manifests';
import {
  generatePlatform,
  PLATFORM_PATHS,
  PlatformSpec,
  VELERO_AWS_PLUGIN_IMAGE,
} from '../flux/PlatformGenerator';
import { isAgeRecipient } from '../sops/SopsYaml';
import { DNS_LABEL, PROMETHEUS_DURATION } from '../validate/patterns';
import { memoryMi } from '../validate/quantity';
import { readWorkspaceFileIfExists, writeGeneratedFiles } from './workspace';
import { ownerEntityRef } from '../flux/WorkloadGenerator';

export const FLUX_PLATFORM_ACTION_ID = 'openebs:flux:platform';

/** The platform entity's owner when the template names none. */
const DEFAULT_PLATFORM_OWNER = 'group:default/platform-admins';

const underLimit = (q: string) =>
  (memoryMi(q) ?? Infinity) < PLAN.memoryLimitMaxMi;
/**
 * The storage control plane's memory limit when none is given: the highest
 * the template offers under NFR-SCALE-001's 500Mi. At 256Mi the Velero
 * server (with its AWS plugin in the same container) was OOM-killed in the
 * full lab mid-backup, which fails the backup; upstream's own default is 512Mi.
 */
const DEFAULT_MEMORY_LIMIT = '448Mi';
/**
 * A service's volumes unprotected, or its drills unproven, for an hour; a
 * schedule's backup an hour late.
 */
const DEFAULT_ALERT_AFTER = '1h';

/**
 * Options of {@link createFluxPlatformAction}.
 *
 * @public
 */
export type FluxPlatformActionOptions = {
  /** Used when the step passes no recipients (openebsScaffolder.sopsAgeRecipients). */
  defaultRecipients?: string[];
};

/**
 * Writes the storage platform's Flux files: OpenEBS LocalPV
 * (localpv-provisioner 4.0.0, hostpath default class; LVM-LocalPV device
 * class opt-in) under kubernetes/apps/kube-system/openebs, Velero (chart
 * 12.1.0, node-agent FSB with Kopia, the S3 location, the daily schedule)
 * under kubernetes/apps/storage/velero, .sops.yaml and monitoring. The S3
 * Secret is left to openebs:sops:encrypt (output `secretPath`).
 *
 * @public
 */
export function createFluxPlatformAction(
  options: FluxPlatformActionOptions = {},
) {
  return createTemplateAction({
    id: FLUX_PLATFORM_ACTION_ID,
    description:
      'Writes the Flux files of the OpenEBS LocalPV + Velero storage platform',
    supportsDryRun: true,
    schema: {
      input: {
        recipients: z =>
          z
            .array(z.string().refine(isAgeRecipient, 'an age recipient'))
            .optional()
            .describe(
              'age recipients written to .sops.yaml; default openebsScaffolder.sopsAgeRecipients',
            ),
        s3Url: z =>
          z
            .string()
            .regex(/^https:\/\/[^\s/]+/, 'HTTPS only (NFR-SEC-001)')
            .default(PLAN.backup.s3Url),
        bucket: z => z.string().min(3).default(PLAN.backup.bucket),
        region: z => z.string().default('us-east-1'),
        veleroNamespace: z =>
          z.string().regex(DNS_LABEL).default(PLAN.backup.veleroNamespace),
        secretName: z =>
          z.string().regex(DNS_LABEL).default('velero-s3-secret'),
        awsPluginImage: z =>
          z
            .string()
            .regex(/^\S+:\S+$/)
            .default(VELERO_AWS_PLUGIN_IMAGE),
        caCert: z =>
          z
            .string()
            .regex(/-----BEGIN CERTIFICATE-----/, 'a PEM certificate bundle')
            .optional()
            .describe(
              "PEM CA bundle of the S3 endpoint, when its certificate is not from a public CA (the location's caCert)",
            ),
        openebsReplicas: z => z.number().int().min(1).max(5).default(3),
        memoryRequest: z => z.string().default('128Mi'),
        memoryLimit: z =>
          z
            .string()
            .refine(underLimit, `under ${PLAN.memoryLimitMaxMi}Mi`)
            .default('256Mi')
            .describe('Memory limit of every storage control-plane pod'),
        owner: z =>
          z
            .string()
            .min(1)
            .default(DEFAULT_PLATFORM_OWNER)
            .describe(
              "The platform team: the owner of the platform's catalog entity",
            ),
        hostpathBasePath: z =>
          z.string().regex(/^\//).default('/var/openebs/local'),
        hostpathQuota: z =>
          z
            .enum(['none', 'xfs', 'ext4'])
            .default('none')
            .describe(
              "Enforce each hostpath volume's size with a project quota: the nodes' filesystem under hostpathBasePath must be XFS or ext4 mounted with prjquota (the provisioner fails a claim otherwise)",
            ),
        deviceClass: z =>
          z
            .object({
              enabled: z.boolean().default(false),
              volumeGroup: z.string().min(1).default('lvmvg'),
            })
            .optional()
            .describe('openebs-localpv-device backed by LVM-LocalPV (opt-in)'),
        monitoring: z =>
          z
            .object({
              enabled: z.boolean().default(true),
              labels: z.record(z.string()).default({}),
              dependsOn: z.array(z.string().regex(DNS_LABEL)).default([]),
              unprotectedFor: z
                .string()
                .regex(PROMETHEUS_DURATION)
                .default(DEFAULT_ALERT_AFTER)
                .describe(
                  'How long a service may have volumes no backup protects before its owners are alerted (a Prometheus duration)',
                ),
              unverifiedFor: z
                .string()
                .regex(PROMETHEUS_DURATION)
                .default(DEFAULT_ALERT_AFTER)
                .describe(
                  'How long a service enrolled for restore drills may go without a passed drill in its window before its owners are alerted (a Prometheus duration)',
                ),
              scheduleGrace: z
                .string()
                .regex(PROMETHEUS_DURATION)
                .default(DEFAULT_ALERT_AFTER)
                .describe(
                  "How late past its interval a schedule may go without a successful backup before the platform team is alerted (a Prometheus duration; a backup's own run time must fit in it)",
                ),
            })
            .optional()
            .describe(
              "Alert rules and monitors in their own Flux Kustomization (needs the Prometheus Operator's CRDs): labels for its rule and monitor selectors, the Kustomizations that install the CRDs, how long the portal's slow-burning conditions last before they alert, and how late a schedule may be",
            ),
        overwrite: z => z.boolean().default(false),
      },
      output: {
        files: z => z.array(z.string()),
        secretPath: z => z.string(),
        repoCredentialsPath: z =>
          z
            .string()
            .describe(
              "Where openebs:sops:encrypt writes Velero's backup repository password",
            ),
        catalogInfoPath: z =>
          z
            .string()
            .describe(
              "The platform's catalog entity (a Resource), for catalog:register",
            ),
      },
    },
    async handler(ctx) {
      const i = ctx.input;
      const recipients = i.recipients?.length
        ? i.recipients
        : options.defaultRecipients ?? [];
      if (recipients.length === 0) {
        throw new InputError(
          'recipients: no age recipients; pass them or set openebsScaffolder.sopsAgeRecipients',
        );
      }
      const memoryLimit = i.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
      if (!underLimit(memoryLimit)) {
        // The JSON schema cannot carry the refinement; check it here too.
        throw new InputError(
          `memoryLimit: must be under ${PLAN.memoryLimitMaxMi}Mi (NFR-SCALE-001), got ${memoryLimit}`,
        );
      }
      const spec: PlatformSpec = {
        recipients,
        owner: ownerEntityRef(i.owner ?? DEFAULT_PLATFORM_OWNER),
        openebs: {
          replicas: i.openebsReplicas ?? 3,
          memoryRequest: i.memoryRequest ?? '128Mi',
          memoryLimit,
          basePath: i.hostpathBasePath ?? '/var/openebs/local',
          quota: i.hostpathQuota ?? 'none',
        },
        device: {
          enabled: i.deviceClass?.enabled ?? false,
          volumeGroup: i.deviceClass?.volumeGroup ?? 'lvmvg',
        },
        monitoring: {
          enabled: i.monitoring?.enabled ?? true,
          labels: i.monitoring?.labels ?? {},
          dependsOn: i.monitoring?.dependsOn ?? [],
          alertAfter: {
            unprotected: i.monitoring?.unprotectedFor ?? DEFAULT_ALERT_AFTER,
            unverified: i.monitoring?.unverifiedFor ?? DEFAULT_ALERT_AFTER,
          },
          scheduleGrace: i.monitoring?.scheduleGrace ?? DEFAULT_ALERT_AFTER,
        },
        velero: {
          namespace: i.veleroNamespace ?? PLAN.backup.veleroNamespace,
          s3Url: i.s3Url ?? PLAN.backup.s3Url,
          bucket: i.bucket ?? PLAN.backup.bucket,
          region: i.region ?? 'us-east-1',
          secretName: i.secretName ?? 'velero-s3-secret',
          awsPluginImage: i.awsPluginImage ?? VELERO_AWS_PLUGIN_IMAGE,
          caCert: i.caCert || undefined,
          memoryRequest: i.memoryRequest ?? '128Mi',
          memoryLimit,
        },
      };
      const openebsNs = `${PLATFORM_PATHS.openebsNs}/kustomization.yaml`;
      const veleroNs = `${PLATFORM_PATHS.veleroNs}/kustomization.yaml`;
      const apps = `${PLATFORM_PATHS.apps}/kustomization.yaml`;
      const { files, secretPath, repoCredentialsPath, catalogInfoPath } =
        generatePlatform(spec, {
          openebsNs: await readWorkspaceFileIfExists(
            ctx.workspacePath,
            openebsNs,
          ),
          veleroNs: await readWorkspaceFileIfExists(
            ctx.workspacePath,
            veleroNs,
          ),
          apps: await readWorkspaceFileIfExists(ctx.workspacePath, apps),
          sopsConfig: await readWorkspaceFileIfExists(
            ctx.workspacePath,
            PLATFORM_PATHS.sopsConfig,
          ),
        });
      const results = await writeGeneratedFiles(ctx.workspacePath, files, {
        overwrite: i.overwrite,
        merged: [openebsNs, veleroNs, apps, PLATFORM_PATHS.sopsConfig],
      });
      ctx.logger.info('wrote storage platform files', {
        deviceClass: spec.device.enabled,
        ...results,
        dryRun: Boolean(ctx.isDryRun),
      });
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('secretPath', secretPath);
      ctx.output('repoCredentialsPath', repoCredentialsPath);
      ctx.output('catalogInfoPath', catalogInfoPath);
    },
  });
}
