import type { DatabaseHooks } from './databaseHooks';
import { isPlanBackupTtl, PLAN, type SopsKeySource } from './manifests';

export type StorageClassName =
  (typeof PLAN.storageClasses)[keyof typeof PLAN.storageClasses];

export type HelmChartSpec = {
  /** `https://...` (HelmRepository) or `oci://...` (OCIRepository) */
  repository: string;
  name: string;
  version: string;
  values?: Record<string, unknown>;
  /** Where the chart takes its persistence settings (`enabled`, `storageClass`, `size`). */
  persistenceValuesPath?: string;
};

export type ContainerSpec = {
  image: string;
  port?: number;
  replicas?: number;
  mountPath?: string;
  memoryRequest?: string;
  memoryLimit?: string;
};

export type WorkloadSpec = {
  name: string;
  namespace: string;
  owner: string;
  system?: string;
  description?: string;
  lifecycle?: string;
  storage: { className: StorageClassName; size: string };
  backup: {
    enabled: boolean;
    schedule: string;
    ttl: string;
    /** Restore drills the entity is enrolled for, and its own check of them. */
    drill?: 'weekly' | 'daily';
    drillVerify?: string;
  };
  /** A SOPS-encrypted Secret (written by openebs:sops:encrypt) to deploy and, for containers, load as env. */
  secret?: { name: string; file: string };
  workload:
    | { type: 'helm'; chart: HelmChartSpec }
    | { type: 'statefulset'; container: ContainerSpec };
  /** Velero hooks that keep a database's backup consistent (databaseHooks.ts). */
  database?: DatabaseHooks;
  /** How the repository runs Flux, where it differs from the plan's default. */
  flux?: {
    /** A tenant's service account the app's Kustomizations apply as. */
    serviceAccountName?: string;
    /**
     * The namespace's kustomization.yaml sets `namespace:`, which moves
     * every object it lists: the Flux Kustomizations get no namespace of
     * their own.
     */
    namespaceFromLayout?: boolean;
    /** Where Flux finds the cluster's age key (default: the Secret sops-age). */
    sopsKey?: SopsKeySource;
  };
};

export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/** Whether the platform's daily schedule covers the workload (no Schedule of its own). */
export function usesPlatformSchedule(backup: WorkloadSpec['backup']): boolean {
  return (
    backup.enabled &&
    backup.schedule === PLAN.backup.schedule &&
    isPlanBackupTtl(backup.ttl)
  );
}

/** Labels on the workload's objects, pods and claim templates. */
export function workloadLabels(spec: WorkloadSpec): Record<string, string> {
  return {
    [KUBERNETES_ID_LABEL]: spec.name,
    ...(usesPlatformSchedule(spec.backup)
      ? { [PLAN.backup.label]: PLAN.backup.labelValue }
      : {}),
  };
}

/** The layout of one workload in the GitOps repository (AC-003-01). */
export function workloadPaths(namespace: string, name: string) {
  const nsDir = `kubernetes/apps/${namespace}`;
  const dir = `${nsDir}/${name}`;
  return {
    /** Lists the namespaces' directories, in repositories that have one. */
    appsKustomization: 'kubernetes/apps/kustomization.yaml',
    nsDir,
    nsKustomization: `${nsDir}/kustomization.yaml`,
    namespaceFile: `${nsDir}/namespace.yaml`,
    dir,
    ks: `${dir}/ks.yaml`,
    app: `${dir}/app`,
    backup: `${dir}/backup`,
    monitoring: `${dir}/monitoring`,
    catalogInfo: `${dir}/catalog-info.yaml`,
  };
}
