import { KubeConfig } from '@kubernetes/client-node';
import { requestJson } from './kubernetesRequest';

/** The API path of a collection of Velero objects in Velero's namespace. */
export function veleroCollection(
  veleroNamespace: string,
  plural: string,
  version = 'v1',
): string {
  return `/apis/velero.io/${version}/namespaces/${encodeURIComponent(
    veleroNamespace,
  )}/${plural}`;
}

/** Deletes a Restore; one already gone counts as deleted. */
export async function deleteRestore(
  kubeConfig: KubeConfig,
  veleroNamespace: string,
  name: string,
): Promise<void> {
  try {
    await requestJson(
      kubeConfig,
      `${veleroCollection(veleroNamespace, 'restores')}/${encodeURIComponent(
        name,
      )}`,
      { method: 'DELETE' },
    );
  } catch (error: any) {
    if (error.statusCode !== 404) throw error;
  }
}
