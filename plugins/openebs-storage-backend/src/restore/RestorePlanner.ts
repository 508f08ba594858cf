import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { RestoreRequestInput } from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { BackupRecord, VolumeBackupRecord } from '../kubernetes/resources';
import { EntityObjectSelection } from '../entities/entityObjectSelection';
import { findEntityClaims } from '../storage/EntityVolumes';
import { veleroLabelValue } from '../storage/veleroLabels';

const RESTORABLE_PHASES = ['Completed', 'PartiallyFailed'];

export interface RestorePlanContext {
  entityRef: string;
  selection: EntityObjectSelection;
  cache: ClusterCache;
  input: RestoreRequestInput;
  veleroNamespace: string;
}

export interface RestorePlan {
  backup: BackupRecord;
  targetNamespace: string;
}

/**
 * Decides whether a restore request may go ahead, from the cluster caches:
 * the backup exists, finished, and holds those volumes of this entity's
 * namespace; its storage location is available; the target is safe. Throws
 * the error a user can act on; never touches the cluster.
 */
export class RestorePlanner {
  plan(context: RestorePlanContext): RestorePlan {
    const { input, cache } = context;
    this.checkSourceNamespace(context);
    const backup = this.findBackup(cache, input.backupName);
    this.checkCoverage(cache, backup, input);
    this.checkStorageLocation(cache, backup);
    const targetNamespace =
      input.mode === 'in-place'
        ? this.checkInPlace(context)
        : this.checkTargetNamespace(context);
    return { backup, targetNamespace };
  }

  private entityNamespaces(context: RestorePlanContext): Set<string> {
    const { namespaces } = findEntityClaims(context.cache, context.selection);
    return new Set(namespaces);
  }

  private checkSourceNamespace(context: RestorePlanContext) {
    if (!this.entityNamespaces(context).has(context.input.namespace)) {
      throw new NotAllowedError(
        `Namespace ${context.input.namespace} does not belong to ${context.entityRef} in cluster ${context.cache.name}. ` +
          `If its workload was deleted, add the backstage.io/kubernetes-namespace annotation to the entity.`,
      );
    }
  }

  private findBackup(cache: ClusterCache, name: string): BackupRecord {
    const [backup] = cache.reflectors.backups.store.byIndex('name', name);
    if (!backup) {
      throw new NotFoundError(`No Velero backup named ${name} in cluster ${cache.name}`);
    }
    if (!RESTORABLE_PHASES.includes(backup.phase)) {
      throw new InputError(
        `Backup ${name} is ${backup.phase}; only Completed or PartiallyFailed backups can be restored`,
      );
    }
    return backup;
  }

  private checkCoverage(cache: ClusterCache, backup: BackupRecord, input: RestoreRequestInput) {
    const { podVolumeBackups, dataUploads } = cache.reflectors;
    const ofBackup = (record: VolumeBackupRecord) =>
      record.backupName === backup.name || record.backupLabel === veleroLabelValue(backup.name);
    const missing = input.volumes.filter(volume => {
      const key = `${input.namespace}/${volume}`;
      const copies = [
        ...podVolumeBackups.store.byIndex('claim', key),
        ...dataUploads.store.byIndex('claim', key),
      ];
      return !copies.some(copy => ofBackup(copy) && copy.phase === 'Completed');
    });
    if (missing.length > 0) {
      throw new InputError(
        `Backup ${backup.name} holds no completed copy of ${missing
          .map(v => `${input.namespace}/${v}`)
          .join(', ')}`,
      );
    }
  }

  private checkStorageLocation(cache: ClusterCache, backup: BackupRecord) {
    const location = Array.from(cache.reflectors.storageLocations.store.values()).find(
      l => l.name === (backup.storageLocation ?? 'default'),
    );
    if (location && location.phase !== 'Available') {
      throw new ServiceUnavailableError(
        `Backup storage location ${location.name} is ${location.phase}${
          location.message ? ` (${location.message})` : ''
        }: Velero cannot read backup ${backup.name} now. Try again when the location is Available.`,
      );
    }
  }

  private checkTargetNamespace(context: RestorePlanContext): string {
    const { input, cache, veleroNamespace } = context;
    const target = input.targetNamespace;
    if (!target) {
      throw new InputError('A restore into a new namespace needs targetNamespace');
    }
    if (target === input.namespace) {
      throw new InputError(
        'The target namespace is the source namespace: that is an in-place restore, which needs mode in-place',
      );
    }
    const reserved = ['default', 'kube-system', 'kube-public', 'kube-node-lease', veleroNamespace];
    if (reserved.includes(target)) {
      throw new NotAllowedError(`Namespace ${target} is reserved and cannot receive a restore`);
    }
    const exists = cache.reflectors.namespaces.store.byIndex('name', target).length > 0;
    if (exists && !this.entityNamespaces(context).has(target)) {
      throw new ConflictError(
        `Namespace ${target} already exists and does not belong to ${context.entityRef}; choose a new namespace`,
      );
    }
    return target;
  }

  private checkInPlace(context: RestorePlanContext): string {
    const { input, cache } = context;
    if (input.targetNamespace && input.targetNamespace !== input.namespace) {
      throw new InputError('An in-place restore goes back into its own namespace; omit targetNamespace');
    }
    if (input.confirmation !== input.namespace) {
      throw new InputError(
        `An in-place restore must be confirmed by typing the namespace (${input.namespace})`,
      );
    }
    const { claims, pods } = cache.reflectors;
    const present = input.volumes.filter(
      volume => claims.store.byIndex('name', `${input.namespace}/${volume}`).length > 0,
    );
    const mounting = input.volumes.flatMap(volume =>
      pods.store.byIndex('claim', `${input.namespace}/${volume}`).map(p => p.name),
    );
    if (present.length > 0 || mounting.length > 0) {
      const steps = [
        ...(mounting.length > 0
          ? [`stop the workload so that no pod mounts the claims (running: ${[...new Set(mounting)].join(', ')}), e.g. scale its StatefulSet or Deployment to 0`]
          : []),
        ...(present.length > 0
          ? [`delete the claim(s) ${present.join(', ')} in ${input.namespace}`]
          : []),
      ];
      throw new InputError(
        `In-place restore refused: Velero skips claims and pods that exist, so nothing would be restored. First ${steps.join(', then ')}; or restore into a new namespace instead.`,
      );
    }
    return input.namespace;
  }
}
