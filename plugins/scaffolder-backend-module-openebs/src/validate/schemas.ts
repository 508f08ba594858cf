import { z } from 'zod';
import { EXACT_VERSION } from './patterns';

// Strict schemas of the specs of the Flux and Velero kinds we write, so that a
// misspelt field is caught here rather than on the cluster.

/** A Flux duration (`30m`, `1h30m`, `500ms`). */
const DURATION = z.string().regex(/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/);

const crossRef = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string(),
    name: z.string(),
    namespace: z.string().optional(),
  })
  .strict();

/** kustomize.toolkit.fluxcd.io/v1 Kustomization spec, strict. */
export const fluxKustomizationSpec = z
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
export const helmReleaseSpec = z
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
export const scheduleSpec = z
  .object({
    schedule: z.string(),
    template: z.record(z.unknown()),
    useOwnerReferencesInBackup: z.boolean().optional(),
    paused: z.boolean().optional(),
    skipImmediately: z.boolean().optional(),
  })
  .strict();
