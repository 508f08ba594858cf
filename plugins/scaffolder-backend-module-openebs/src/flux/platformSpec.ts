/** Charts pinned by the platform (../shared/charts). */
export const PLATFORM_CHARTS = {
  localpv: {
    name: 'localpv-provisioner',
    version: '4.0.0',
    repository: 'https://openebs.github.io/dynamic-localpv-provisioner',
  },
  lvm: {
    name: 'lvm-localpv',
    version: '1.5.0',
    repository: 'https://openebs.github.io/lvm-localpv',
  },
  velero: {
    name: 'velero',
    version: '12.1.0',
    repository: 'https://vmware-tanzu.github.io/helm-charts',
  },
} as const;

/**
 * The Velero AWS plugin paired with the chart's Velero (12.1.0 ships 1.18.1):
 * the plugin's compatibility table pairs v1.14.x with Velero v1.18.x.
 */
export const VELERO_AWS_PLUGIN_IMAGE = 'velero/velero-plugin-for-aws:v1.14.3';

/** none, or the filesystem of the nodes' basePath (mounted with prjquota). */
export type HostpathQuota = 'none' | 'xfs' | 'ext4';

export type PlatformSpec = {
  /** age recipients for .sops.yaml (the cluster's key, and the admins'). */
  recipients: string[];
  /** The platform team: the owner of the platform's catalog entity. */
  owner: string;
  openebs: {
    replicas: number;
    memoryRequest: string;
    memoryLimit: string;
    basePath: string;
    /**
     * Each hostpath volume's size enforced by a project quota of the node's
     * filesystem under basePath (the chart's xfsQuota/ext4Quota); without
     * one a volume can fill the node's disk whatever its claim says.
     */
    quota: HostpathQuota;
  };
  /** openebs-localpv-device, backed by LVM-LocalPV (a CSI driver); opt-in. */
  device: { enabled: boolean; volumeGroup: string };
  /**
   * The Prometheus Operator objects (alert rules, monitors). They need its
   * CRDs, so they are kept out of the storage layer's Kustomizations.
   */
  monitoring: {
    enabled: boolean;
    /** Labels the operator's ruleSelector / serviceMonitorSelector match. */
    labels: Record<string, string>;
    /** Flux Kustomizations that install the CRDs (e.g. kube-prometheus-stack). */
    dependsOn: string[];
    /**
     * How long (Prometheus durations) a service may have volumes no backup
     * protects, and stay enrolled for drills without a passed one, before
     * its owners are alerted.
     */
    alertAfter: { unprotected: string; unverified: string };
    /**
     * How late past its interval (a Prometheus duration) a schedule may go
     * without a successful backup before the platform team is alerted.
     */
    scheduleGrace: string;
  };
  velero: {
    namespace: string;
    s3Url: string;
    bucket: string;
    region: string;
    secretName: string;
    awsPluginImage: string;
    /**
     * PEM CA bundle the S3 endpoint's certificate chains to, when it is not a
     * public CA; written base64-encoded to the location's caCert.
     */
    caCert?: string;
    memoryRequest: string;
    memoryLimit: string;
  };
};

/** Where the platform's files go in the GitOps repository. */
export const PLATFORM_PATHS = {
  sopsConfig: '.sops.yaml',
  apps: 'kubernetes/apps',
  catalogInfo: 'kubernetes/apps/storage/catalog-info.yaml',
  openebsNs: 'kubernetes/apps/kube-system',
  openebs: 'kubernetes/apps/kube-system/openebs',
  veleroNs: 'kubernetes/apps/storage',
  velero: 'kubernetes/apps/storage/velero',
};
