import { KubeConfig } from '@kubernetes/client-node';
import { createHash } from 'crypto';
import { requestJson } from './kubernetesRequest';

/*
 * What the plugin knows of Velero's API: where its objects are, the labels
 * it and the portal write, and how Velero shortens names into labels.
 */

export const VELERO_LABELS = {
  backupName: 'velero.io/backup-name',
  restoreName: 'velero.io/restore-name',
  pvcUid: 'velero.io/pvc-uid',
  scheduleName: 'velero.io/schedule-name',
};

export const VELERO_ANNOTATIONS = {
  /** Pod volumes (comma-separated) left out of file-system backups. */
  backupVolumesExcludes: 'backup.velero.io/backup-volumes-excludes',
};

/** Labels the portal puts on the Restores it creates. */
export const PORTAL_LABELS = {
  requestId: 'openebs-portal.dev/restore-request',
  requestedBy: 'openebs-portal.dev/requested-by',
  /** On the pods an in-place restore writes its data back with. */
  restorePod: 'openebs-portal.dev/restore-pod',
};

const DNS1035_LABEL_MAX_LENGTH = 63;
const HASH_LENGTH = 6;

/**
 * The value Velero writes into a label for a name (its `label.GetValidName`):
 * names over 63 characters keep their first 57 characters followed by the
 * first 6 hex digits of their SHA-256. Matching a long backup name against
 * `velero.io/backup-name` labels needs the same transformation.
 */
export function veleroLabelValue(name: string): string {
  if (name.length <= DNS1035_LABEL_MAX_LENGTH) {
    return name;
  }
  const digest = createHash('sha256').update(name).digest('hex');
  return (
    name.slice(0, DNS1035_LABEL_MAX_LENGTH - HASH_LENGTH) +
    digest.slice(0, HASH_LENGTH)
  );
}

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
