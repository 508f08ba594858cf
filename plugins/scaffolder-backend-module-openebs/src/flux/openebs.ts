import {
  AppResource,
  containerResources,
  helmRelease,
  helmRepository,
  PLAN,
  yamlFile,
} from './manifests';
import { PLATFORM_LABELS } from './platformEntity';
import { HostpathQuota, PLATFORM_CHARTS, PlatformSpec } from './platformSpec';

const LOCALPV_RELEASE = 'openebs-localpv';

/**
 * The localpv-provisioner Deployment as the 4.0.0 chart names it for our
 * release (`<release>-<chart>`), in kube-system (the Flux Kustomization's
 * targetNamespace). Alerts select it by name so that no other deployment
 * matches.
 */
export const LOCALPV_DEPLOYMENT = `${LOCALPV_RELEASE}-${PLATFORM_CHARTS.localpv.name}`;

/**
 * The class's project quota: the limit is the claim's size exactly (0 %
 * grace, soft and hard), so a volume stops at what it asked for.
 */
function quotaValues(quota: HostpathQuota) {
  if (quota === 'none') return {};
  const key = quota === 'xfs' ? 'xfsQuota' : 'ext4Quota';
  return {
    [key]: { enabled: true, softLimitGrace: '0%', hardLimitGrace: '0%' },
  };
}

/**
 * OpenEBS LocalPV's provisioner with leader election, and its hostpath class
 * as the cluster's default StorageClass (AC-001-04).
 */
export function localpvResources(spec: PlatformSpec): AppResource[] {
  const { openebs } = spec;
  return [
    {
      file: 'helmrepository.yaml',
      content: yamlFile(
        helmRepository(LOCALPV_RELEASE, PLATFORM_CHARTS.localpv.repository),
      ),
    },
    {
      file: 'helmrelease.yaml',
      content: yamlFile(
        helmRelease({
          name: LOCALPV_RELEASE,
          chart: {
            helmRepository: LOCALPV_RELEASE,
            ...PLATFORM_CHARTS.localpv,
          },
          replaceCrds: true,
          labels: PLATFORM_LABELS,
          values: {
            localpv: {
              replicas: openebs.replicas,
              enableLeaderElection: true,
              basePath: openebs.basePath,
              resources: containerResources(
                openebs.memoryRequest,
                openebs.memoryLimit,
              ),
            },
            hostpathClass: {
              name: PLAN.storageClasses.hostpath,
              enabled: true,
              isDefaultClass: true,
              reclaimPolicy: 'Delete',
              basePath: openebs.basePath,
              ...quotaValues(openebs.quota),
            },
            analytics: { enabled: false },
          },
        }),
      ),
    },
  ];
}
