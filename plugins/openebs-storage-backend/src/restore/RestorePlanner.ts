import { Entity } from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  KUBERNETES_ANNOTATIONS,
  RestoreContents,
  RestoreRequestInput,
} from '@openebs-portal/plugin-openebs-storage-common';
import { TenancyConfig } from '../config';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { BackupRecord } from '../kubernetes/records';
import { EntityObjectSelection } from '../entities/entityObjectSelection';
import { NamespaceOwnership } from '../tenancy/NamespaceOwnership';
import {
  checkEntityCluster,
  checkNamespaceAccess,
  Requester,
} from '../tenancy/namespaceAccess';
import { InPlaceTarget, planInPlace } from './inPlacePlan';
import { isOfBackup, restoreContents } from './restoreContents';
import { checkTargetName, checkTargetOwner } from './restoreTarget';

const RESTORABLE_PHASES = ['Completed', 'PartiallyFailed'];

export type { Requester };

/** A restore request before it has an idempotency key (what a preview checks). */
export type RestorePlanInput = Omit<RestoreRequestInput, 'requestId'>;

export interface RestorePlanContext {
  entity: Entity;
  entityRef: string;
  selection: EntityObjectSelection;
  cache: ClusterCache;
  input: RestorePlanInput;
  requester: Requester;
}

export interface RestorePlan {
  backup: BackupRecord;
  targetNamespace: string;
  contents: RestoreContents;
  /** The source namespace's recorded owner (undefined: platform admins only). */
  owner?: string;
  /** For `in-place`: the workloads to stop and the claims to remove. */
  inPlace?: InPlaceTarget;
}

export interface RestorePlannerOptions {
  ownership: NamespaceOwnership;
  tenancy: TenancyConfig;
}

/**
 * Decides whether a restore request may go ahead, from the cluster caches
 * and the platform's namespace records: the cluster and namespace are the
 * entity's and recorded as its owner's, the backup finished and holds those
 * volumes, its storage location is available, the target is safe. Throws the
 * error a user can act on; never touches the cluster.
 */
export class RestorePlanner {
  constructor(private readonly options: RestorePlannerOptions) {}

  async plan(context: RestorePlanContext): Promise<RestorePlan> {
    const { input, cache, selection } = context;
    this.checkSynced(cache);
    checkEntityCluster(selection, input.cluster, context.entityRef);
    this.checkSelector(context);
    const owner = await checkNamespaceAccess(
      { ...context, namespace: input.namespace, action: 'restore' },
      this.options.ownership,
      this.options.tenancy,
    );
    const backup = this.findBackup(cache, input.backupName);
    this.checkCoverage(cache, backup, input);
    this.checkStorageLocation(cache, backup);
    const contents = restoreContents(
      cache,
      backup,
      input.namespace,
      selection.selector,
    );
    this.checkVolumesComeBack(contents, input);
    if (input.mode === 'in-place') {
      const { targetNamespace, inPlace } = this.checkInPlace(
        cache,
        input,
        contents,
        backup,
      );
      return { backup, targetNamespace, contents, owner, inPlace };
    }
    const targetNamespace = await this.checkNewNamespace(cache, input, owner);
    return { backup, targetNamespace, contents, owner };
  }

  /** An empty cache would read as "nothing there": every check would pass. */
  private checkSynced(cache: ClusterCache) {
    const { namespaces, restores, storageLocations } = cache.reflectors;
    const synced =
      cache.volumesReadable() &&
      cache.backupsReadable() &&
      [namespaces, restores, storageLocations].every(
        r => r.status.synced && !r.status.error,
      );
    if (!synced) {
      throw new ServiceUnavailableError(
        `The portal has not finished reading cluster ${cache.name}; try again in a minute`,
      );
    }
  }

  /**
   * Velero restores whatever the selector matches in the namespace: only
   * `key=value` terms say exactly which objects are the entity's.
   */
  private checkSelector({ selection, entityRef }: RestorePlanContext) {
    const wide = selection.selector.filter(
      r => r.operator !== 'In' || r.values.length !== 1,
    );
    if (selection.selector.length === 0 || wide.length > 0) {
      throw new NotAllowedError(
        `Restores need ${entityRef}'s selector to be made of key=value terms only (${
          KUBERNETES_ANNOTATIONS.id
        }, or ${
          KUBERNETES_ANNOTATIONS.labelSelector
        } such as app=shop,tier=db); ${
          wide.length > 0
            ? `${wide.map(r => r.key).join(', ')} match more than one value`
            : 'it is empty'
        }`,
      );
    }
  }

  private findBackup(cache: ClusterCache, name: string): BackupRecord {
    const [backup] = cache.reflectors.backups.store.byIndex('name', name);
    if (!backup) {
      throw new NotFoundError(
        `No Velero backup named ${name} in cluster ${cache.name}`,
      );
    }
    if (!RESTORABLE_PHASES.includes(backup.phase)) {
      throw new InputError(
        `Backup ${name} is ${backup.phase}; only Completed or PartiallyFailed backups can be restored`,
      );
    }
    return backup;
  }

  private checkCoverage(
    cache: ClusterCache,
    backup: BackupRecord,
    input: RestorePlanInput,
  ) {
    const { podVolumeBackups, dataUploads } = cache.reflectors;
    const missing = input.volumes.filter(volume => {
      const key = `${input.namespace}/${volume}`;
      const copies = [
        ...podVolumeBackups.store.byIndex('claim', key),
        ...dataUploads.store.byIndex('claim', key),
      ];
      return !copies.some(
        copy => isOfBackup(copy, backup) && copy.phase === 'Completed',
      );
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
    const name = backup.storageLocation ?? 'default';
    const [location] = cache.reflectors.storageLocations.store.byIndex(
      'name',
      name,
    );
    if (!location) {
      throw new ServiceUnavailableError(
        `Backup storage location ${name} of backup ${backup.name} does not exist in cluster ${cache.name}: Velero cannot read the backup. Ask a platform admin to restore the location.`,
      );
    }
    if (location.phase !== 'Available') {
      throw new ServiceUnavailableError(
        `Backup storage location ${location.name} is ${location.phase}${
          location.message ? ` (${location.message})` : ''
        }: Velero cannot read backup ${
          backup.name
        } now. Try again when the location is Available.`,
      );
    }
  }

  /** A ticked volume whose pod is not the entity's would not come back. */
  private checkVolumesComeBack(
    contents: RestoreContents,
    input: RestorePlanInput,
  ) {
    const outside = input.volumes.filter(v => !contents.claims.includes(v));
    if (outside.length > 0) {
      throw new InputError(
        `${outside.join(', ')} would not come back: in backup ${
          input.backupName
        } no pod of the entity mounts ${outside.length === 1 ? 'it' : 'them'}`,
      );
    }
  }

  private async checkNewNamespace(
    cache: ClusterCache,
    input: RestorePlanInput,
    sourceOwner: string | undefined,
  ): Promise<string> {
    const target = input.targetNamespace;
    if (!target) {
      throw new InputError(
        'A restore into a new namespace needs targetNamespace',
      );
    }
    if (target === input.namespace) {
      throw new InputError(
        'The target namespace is the source namespace: that is an in-place restore, which needs mode in-place',
      );
    }
    checkTargetName(this.options.tenancy, input.namespace, target);
    checkTargetOwner(
      target,
      cache.reflectors.namespaces.store.byIndex('name', target).length > 0,
      await this.options.ownership.ownerOf(cache, target),
      sourceOwner,
    );
    return target;
  }

  /**
   * Velero skips claims and pods that exist: the portal stops the
   * workloads and removes the ticked claims first (planInPlace says what,
   * or why not). Velero also recreates every absent claim of the entity's
   * pods in the backup, so each of those must be ticked: nothing comes back
   * in place that the requester did not name.
   */
  private checkInPlace(
    cache: ClusterCache,
    input: RestorePlanInput,
    contents: RestoreContents,
    backup: BackupRecord,
  ): { targetNamespace: string; inPlace: InPlaceTarget } {
    if (input.targetNamespace && input.targetNamespace !== input.namespace) {
      throw new InputError(
        'An in-place restore goes back into its own namespace; omit targetNamespace',
      );
    }
    if (input.confirmation !== input.namespace) {
      throw new InputError(
        `An in-place restore must be confirmed by typing the namespace (${input.namespace})`,
      );
    }
    const { claims } = cache.reflectors;
    const exists = (claim: string) =>
      claims.store.byIndex('name', `${input.namespace}/${claim}`).length > 0;
    const unnamed = contents.claims.filter(
      claim => !exists(claim) && !input.volumes.includes(claim),
    );
    if (unnamed.length > 0) {
      throw new InputError(
        `In-place restore refused: it would also recreate ${unnamed.join(
          ', ',
        )} in ${
          input.namespace
        } (Velero restores every pod of the entity with its claims). Tick ${
          unnamed.length === 1 ? 'it' : 'them'
        } too to confirm, or restore into a new namespace instead.`,
      );
    }
    return {
      targetNamespace: input.namespace,
      inPlace: planInPlace(cache, backup, input.namespace, input.volumes),
    };
  }
}
