/*
 * Every place where the lab deploys the platform differently from what the
 * template generated, with the reason. docs/lab.md lists the same; keep both
 * in step. Values that the template takes as parameters (S3 endpoint, CA,
 * bucket, age recipient) are not overrides: render.ts passes the lab's.
 */

import { DRY_RUN_PLACEHOLDER } from '../../src/actions/sopsEncrypt';

type Manifest = {
  kind: string;
  apiVersion: string;
  metadata: { name: string; namespace?: string };
  [k: string]: unknown;
};

/** Why a generated object is not applied in the lab, or undefined. */
export function isSkippedInLab(manifest: Manifest): string | undefined {
  if (manifest.apiVersion.startsWith('monitoring.coreos.com/')) {
    return 'no Prometheus Operator (and so no monitoring.coreos.com CRDs) runs in the lab';
  }
  return undefined;
}

/**
 * Merges chart values as Helm merges values files: maps key by key, and
 * anything else (lists included) replaced whole. lodash's merge would merge
 * lists index by index, which Helm never does.
 */
function deepMerge(base: any, extra: any): any {
  if (typeof base !== 'object' || base === null || Array.isArray(base))
    return extra;
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    out[key] = key in base ? deepMerge(base[key], value) : value;
  }
  return out;
}

/** Chart values the lab changes, per HelmRelease name. */
const VALUE_OVERRIDES: Record<
  string,
  { values: Record<string, unknown>; why: string }
> = {
  velero: {
    values: {
      // The chart's CRD-upgrade hook runs a registry.k8s.io/kubectl image the
      // lab does not assemble; helm installs the chart's crds/ itself.
      upgradeCRDs: false,
      // ServiceMonitor, PodMonitor and PrometheusRule need the Prometheus
      // Operator's CRDs (see isSkippedInLab).
      metrics: {
        serviceMonitor: { enabled: false },
        nodeAgentPodMonitor: { enabled: false },
        prometheusRule: { enabled: false },
      },
    },
    why: 'no kubectl image, no Prometheus Operator in the lab',
  },
  'openebs-localpv': {
    values: {
      // The provisioner image cannot be built here: the Go module proxy
      // refuses github.com/openebs/dynamic-localpv-provisioner at every
      // version (403), though its dependencies are served. The chart still
      // creates the openebs-localpv-hostpath StorageClass.
      localpv: { enabled: false },
    },
    why: 'OpenEBS provisioner source unavailable (Go proxy 403 for github.com/openebs/dynamic-localpv-provisioner)',
  },
};

export function helmValueOverrides(
  release: string,
  values: Record<string, unknown>,
) {
  const override = VALUE_OVERRIDES[release];
  if (!override) return values;
  process.stderr.write(
    `[platform]   lab override for ${release}: ${override.why}\n`,
  );
  return deepMerge(values, override.values);
}

/**
 * A dry run encrypts placeholders instead of the S3 keys (it never reads
 * task secrets); the lab's own S3 keys take their place after decryption.
 */
export function secretOverrides(
  secret: Manifest & { stringData?: Record<string, string> },
) {
  if (secret.metadata.name !== 'velero-s3-secret') return secret;
  const keyId = process.env.LAB_S3_ACCESS_KEY;
  const key = process.env.LAB_S3_SECRET_KEY;
  if (!keyId || !key)
    throw new Error(
      'LAB_S3_ACCESS_KEY and LAB_S3_SECRET_KEY are needed for velero-s3-secret',
    );
  const data = { ...secret.stringData };
  if (!Object.values(data).some(v => v.includes(DRY_RUN_PLACEHOLDER))) {
    throw new Error(
      'velero-s3-secret holds no dry-run placeholders: was the tree rendered by a dry run?',
    );
  }
  data.S3_ACCESS_KEY_ID = keyId;
  data.S3_SECRET_ACCESS_KEY = key;
  if (data.cloud !== undefined) {
    data.cloud = `[default]\naws_access_key_id=${keyId}\naws_secret_access_key=${key}\n`;
  }
  process.stderr.write(
    '[platform]   lab override for velero-s3-secret: the lab S3 keys\n',
  );
  return { ...secret, stringData: data };
}
