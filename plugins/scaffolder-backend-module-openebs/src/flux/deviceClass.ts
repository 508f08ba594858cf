import {
  AppResource,
  containerResources,
  helmRelease,
  helmRepository,
  PLAN,
  yamlFile,
} from './manifests';
import { PLATFORM_CHARTS, PlatformSpec } from './platformSpec';

const LVM_RELEASE = 'openebs-lvm-localpv';

/**
 * The opt-in device class: LVM-LocalPV (a CSI driver) and the
 * openebs-localpv-device StorageClass on the nodes' volume group. The hostpath
 * class stays the default.
 */
export function deviceClassResources(spec: PlatformSpec): AppResource[] {
  const { memoryRequest, memoryLimit } = spec.openebs;
  return [
    {
      file: 'helmrepository-lvm-localpv.yaml',
      content: yamlFile(
        helmRepository(LVM_RELEASE, PLATFORM_CHARTS.lvm.repository),
      ),
    },
    {
      file: 'helmrelease-lvm-localpv.yaml',
      content: yamlFile(
        helmRelease({
          name: LVM_RELEASE,
          chart: { helmRepository: LVM_RELEASE, ...PLATFORM_CHARTS.lvm },
          replaceCrds: true,
          values: {
            lvmController: {
              resources: containerResources(memoryRequest, memoryLimit),
            },
            lvmNode: {
              resources: containerResources(memoryRequest, memoryLimit),
            },
            analytics: { enabled: false },
          },
        }),
      ),
    },
    {
      file: 'storageclass-device.yaml',
      content: yamlFile({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: {
          name: PLAN.storageClasses.device,
          annotations: {
            'storageclass.kubernetes.io/is-default-class': 'false',
          },
        },
        provisioner: 'local.csi.openebs.io',
        parameters: {
          storage: 'lvm',
          volgroup: spec.device.volumeGroup,
          fsType: 'ext4',
        },
        reclaimPolicy: 'Delete',
        allowVolumeExpansion: true,
        volumeBindingMode: 'WaitForFirstConsumer',
      }),
    },
  ];
}
