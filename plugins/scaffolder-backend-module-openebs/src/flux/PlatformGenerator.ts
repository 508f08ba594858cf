import { deviceClassResources } from './deviceClass';
import {
  appDirectory,
  fluxKustomization,
  GeneratedFile,
  PLAN,
  yamlFile,
} from './manifests';
import { openebsAlertsResource, veleroDashboardResource } from './monitoring';
import { portalAlertsResource } from './portalAlerts';
import { localpvResources } from './openebs';
import { PLATFORM_LABELS, platformEntityFile } from './platformEntity';
import {
  ExistingNamespaceKustomizations,
  platformNamespaceFiles,
} from './platformNamespaces';
import { PLATFORM_PATHS, PlatformSpec } from './platformSpec';
import { sopsConfigFile } from './sopsConfig';
import { VELERO_REPO_CREDENTIALS, veleroResources } from './velero';

// The platform's public names, for the action and the tests.
export { LOCALPV_DEPLOYMENT } from './openebs';
export {
  PLATFORM_CHARTS,
  PLATFORM_PATHS,
  VELERO_AWS_PLUGIN_IMAGE,
} from './platformSpec';
export type { PlatformSpec } from './platformSpec';
export { VELERO_RESOURCE_POLICY } from './velero';

/**
 * The storage platform's files: OpenEBS LocalPV (hostpath default class,
 * optional LVM-LocalPV device class) in kube-system, Velero with node-agent
 * FSB in its namespace, .sops.yaml and monitoring. The Velero S3 Secret
 * itself is written by openebs:sops:encrypt at `secretPath`.
 */
export function generatePlatform(
  spec: PlatformSpec,
  existing: ExistingNamespaceKustomizations & { sopsConfig?: string } = {},
): {
  files: GeneratedFile[];
  secretPath: string;
  repoCredentialsPath: string;
  catalogInfoPath: string;
} {
  const openebsApp = `${PLATFORM_PATHS.openebs}/app`;
  const veleroApp = `${PLATFORM_PATHS.velero}/app`;
  const openebsMonitoring = `${PLATFORM_PATHS.openebs}/monitoring`;
  const secretFile = `${spec.velero.secretName}.sops.yaml`;

  const files: GeneratedFile[] = [
    sopsConfigFile(
      spec.recipients,
      existing.sopsConfig === undefined
        ? undefined
        : {
            text: existing.sopsConfig,
            secretPath: `${veleroApp}/${secretFile}`,
          },
    ),
    {
      path: `${PLATFORM_PATHS.openebs}/ks.yaml`,
      content: yamlFile(
        fluxKustomization({
          name: PLAN.flux.openebsKustomization,
          path: openebsApp,
          targetNamespace: 'kube-system',
          labels: PLATFORM_LABELS,
          dependsOn: [],
          decryption: true,
          timeout: '10m',
        }),
        ...(spec.monitoring.enabled
          ? [
              fluxKustomization({
                name: PLAN.flux.monitoringKustomization,
                path: openebsMonitoring,
                targetNamespace: 'kube-system',
                dependsOn: [
                  PLAN.flux.openebsKustomization,
                  ...spec.monitoring.dependsOn,
                ],
                decryption: false,
                timeout: '5m',
              }),
            ]
          : []),
      ),
    },
    ...appDirectory(openebsApp, [
      ...localpvResources(spec),
      ...(spec.device.enabled ? deviceClassResources(spec) : []),
    ]),
    // The alert rules need the Prometheus Operator's CRDs: in a Kustomization
    // of their own, so that the storage layer (and every workload that
    // depends on it) becomes Ready on a cluster without them.
    ...(spec.monitoring.enabled
      ? appDirectory(openebsMonitoring, [
          openebsAlertsResource(spec.monitoring.labels),
          portalAlertsResource(spec.monitoring),
        ])
      : []),
    {
      path: `${PLATFORM_PATHS.velero}/ks.yaml`,
      content: yamlFile(
        fluxKustomization({
          name: PLAN.flux.veleroKustomization,
          path: veleroApp,
          targetNamespace: spec.velero.namespace,
          labels: PLATFORM_LABELS,
          dependsOn: [PLAN.flux.openebsKustomization],
          decryption: true,
          timeout: '10m',
        }),
      ),
    },
    ...appDirectory(veleroApp, [
      ...veleroResources(spec, secretFile),
      veleroDashboardResource(),
    ]),
    ...platformNamespaceFiles(existing),
    platformEntityFile(spec),
  ];
  return {
    files: files.sort((a, b) => a.path.localeCompare(b.path)),
    secretPath: `${veleroApp}/${secretFile}`,
    repoCredentialsPath: `${veleroApp}/${VELERO_REPO_CREDENTIALS.file}`,
    catalogInfoPath: PLATFORM_PATHS.catalogInfo,
  };
}
