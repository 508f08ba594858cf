import { KUBERNETES_ID_LABEL } from './workloadSpec';
import { GeneratedFile, Manifest, yamlFile } from './manifests';
import { PLATFORM_PATHS, PlatformSpec } from './platformSpec';

/** The platform's catalog entity name, and its kubernetes-id. */
export const PLATFORM_ENTITY_NAME = 'openebs-velero-platform';

/**
 * The label that puts every object of the platform (Flux's, and each one
 * its charts render) on the entity's Kubernetes tab: Velero, its
 * node-agent, the provisioner, their pods.
 */
export const PLATFORM_LABELS = { [KUBERNETES_ID_LABEL]: PLATFORM_ENTITY_NAME };

/**
 * The platform as a catalog Resource owned by the platform team: what an
 * on-call engineer opens to see the storage layer's pods and who owns it.
 * Not listed in any kustomization.yaml, so Flux never applies it.
 */
export function platformEntityFile(spec: PlatformSpec): GeneratedFile {
  const entity: Manifest = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: PLATFORM_ENTITY_NAME,
      title: 'OpenEBS LocalPV + Velero storage platform',
      description: `OpenEBS LocalPV classes and Velero file-system backups to ${spec.velero.s3Url} (bucket ${spec.velero.bucket}).`,
      annotations: { [KUBERNETES_ID_LABEL]: PLATFORM_ENTITY_NAME },
      links: [{ url: spec.velero.s3Url, title: 'Backup storage (S3)' }],
      tags: ['openebs', 'velero', 'storage'],
    },
    spec: { type: 'storage-platform', owner: spec.owner },
  };
  return { path: PLATFORM_PATHS.catalogInfo, content: yamlFile(entity) };
}
