import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { KubeConfig } from '@kubernetes/client-node';
import fs from 'fs';

/** A cluster this backend can read with its own, server-side credentials. */
export interface ClusterDefinition {
  name: string;
  url: string;
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Reads the clusters from the Kubernetes plugin's own configuration
 * (`kubernetes.clusterLocatorMethods`), so there is one cluster list.
 *
 * Only `config`-located clusters with the `serviceAccount` auth provider are
 * served: this plugin watches clusters in the background and answers from
 * caches, so it needs a credential of its own. Per-user providers (oidc,
 * google, aks, …) authenticate as the signed-in user in the browser and
 * cannot back a shared watch; those clusters are skipped with a warning.
 */
export function readClusterDefinitions(
  config: Config,
  logger: LoggerService,
): ClusterDefinition[] {
  const clusters: ClusterDefinition[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const method of methods) {
    const type = method.getString('type');
    if (type !== 'config') {
      logger.warn(
        `OpenEBS storage: cluster locator "${type}" is not served; only "config" clusters with serviceAccount credentials are`,
      );
      continue;
    }
    for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
      const name = cluster.getString('name');
      const authMetadata = cluster.getOptionalConfig('authMetadata');
      const authProvider =
        cluster.getOptionalString('authProvider') ??
        authMetadata?.getOptionalString('kubernetes.io/auth-provider') ??
        'serviceAccount';
      if (authProvider !== 'serviceAccount') {
        logger.warn(
          `OpenEBS storage: cluster "${name}" uses auth provider "${authProvider}", which needs a user's own credentials; skipped`,
          { cluster: name },
        );
        continue;
      }
      let serviceAccountToken =
        cluster.getOptionalString('serviceAccountToken') ??
        authMetadata?.getOptionalString('serviceAccountToken');
      if (!serviceAccountToken && fs.existsSync(IN_CLUSTER_TOKEN)) {
        // Same fallback as the Kubernetes plugin: the pod's own token.
        serviceAccountToken = fs.readFileSync(IN_CLUSTER_TOKEN, 'utf8').trim();
      }
      clusters.push({
        name,
        url: cluster.getString('url'),
        serviceAccountToken,
        caData: cluster.getOptionalString('caData'),
        caFile: cluster.getOptionalString('caFile'),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    }
  }
  return clusters;
}

export function kubeConfigFor(cluster: ClusterDefinition): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        skipTLSVerify: cluster.skipTLSVerify,
      },
    ],
    users: [{ name: 'backstage', token: cluster.serviceAccountToken }],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: 'backstage' },
    ],
    currentContext: cluster.name,
  });
  return kubeConfig;
}
