import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ClusterStorage,
  EntityStorage,
  KUBERNETES_ANNOTATIONS,
  ScheduleSummary,
  ServiceLevels,
  StorageLocationSummary,
  VolumeStatus,
} from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { ClusterCaches } from '../kubernetes/ClusterCaches';
import { ClaimRecord } from '../kubernetes/records';
import {
  EntityObjectSelection,
  selectEntityObjects,
} from '../entities/entityObjectSelection';
import { BackupCoverage } from './BackupCoverage';
import {
  findDeletedClaims,
  findEntityClaims,
  podsMounting,
} from './EntityVolumes';
import { canSnapshot, isNodeLocal, storageEngineOf } from './storageEngine';
import { namespaceInScope } from './namespaceScope';
import { secondsBetween } from './durations';
import { nodeHealthOf } from './nodeHealth';
import { assessVolumeHealth, summariseHealth } from './volumeHealth';
import { assessRecoveryPoint } from './recoveryPoint';
import { skippedVolumeReason } from './skippedVolume';
import { DRILL_LABELS } from '../drill/scratchNamespace';
import {
  entityOwnerRefs,
  NamespaceOwnership,
} from '../tenancy/NamespaceOwnership';

export interface EntityStorageServiceOptions {
  clusters: ClusterCaches;
  serviceLevels: ServiceLevels;
  ownership: NamespaceOwnership;
  now?: () => Date;
}

const WITHHELD_REASON =
  "The entity's annotations match volumes in namespaces the platform records as another owner's; an annotation cannot claim them.";

/**
 * Assembles an entity's storage status from the cluster caches: volumes with
 * their node, snapshots, backups, schedules and health. Pure reads of memory;
 * a cluster that cannot be read adds an error to its entry, never a throw.
 */
export class EntityStorageService {
  private readonly now: () => Date;

  constructor(private readonly options: EntityStorageServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async getEntityStorage(entity: Entity): Promise<EntityStorage> {
    const entityRef = stringifyEntityRef(entity);
    const selection = selectEntityObjects(entity);
    if (!selection) {
      throw new InputError(
        `Entity ${entityRef} has neither the ${KUBERNETES_ANNOTATIONS.id} nor the ${KUBERNETES_ANNOTATIONS.labelSelector} annotation`,
      );
    }
    const caches = this.options.clusters.forEntity(
      entityRef,
      selection.cluster,
    );
    const now = this.now();
    const owners = entityOwnerRefs(entity);
    const clusters = await Promise.all(
      caches.map(cache => this.clusterStorage(cache, selection, owners, now)),
    );
    return {
      entityRef,
      generatedAt: now.toISOString(),
      // Deleted claims are history, not the entity's current protection.
      health: summariseHealth(
        clusters.flatMap(c => c.volumes).filter(v => v.phase !== 'Deleted'),
      ),
      serviceLevels: this.options.serviceLevels,
      clusters,
    };
  }

  /**
   * The namespaces the entity's annotations lead to, each with the owner
   * the platform records for it. Another owner's are left out: the
   * annotations are the entity's own word, the record is the platform's.
   */
  private async attributeNamespaces(
    cache: ClusterCache,
    namespaces: string[],
    owners: string[],
  ) {
    const attributed = new Map<string, string | undefined>();
    const foreign: string[] = [];
    const { status } = cache.reflectors.namespaces;
    // Unread, every namespace would look unrecorded: attribute none (the
    // cluster's error says why its part is empty).
    if (!status.synced || status.error) return { attributed, foreign };
    for (const namespace of namespaces) {
      // A drill's scratch copy is evidence, not the team's data: it would
      // show as unprotected volumes while the drill runs.
      const [record] = cache.reflectors.namespaces.store.byIndex(
        'name',
        namespace,
      );
      if (record?.labels[DRILL_LABELS.drill]) continue;
      const attribution = await this.options.ownership.attribute(
        cache,
        namespace,
        owners,
      );
      if (attribution.status === 'foreign') foreign.push(namespace);
      else
        attributed.set(
          namespace,
          attribution.status === 'owned' ? attribution.owner : undefined,
        );
    }
    return { attributed, foreign };
  }

  private async clusterStorage(
    cache: ClusterCache,
    selection: EntityObjectSelection,
    owners: string[],
    now: Date,
  ): Promise<ClusterStorage> {
    const errors = cache.errors();
    const found = findEntityClaims(cache, selection);
    const { attributed, foreign } = await this.attributeNamespaces(
      cache,
      found.namespaces,
      owners,
    );
    const namespaces = Array.from(attributed.keys());
    const claims = found.claims.filter(claim =>
      attributed.has(claim.namespace),
    );
    const storageLocations = this.storageLocations(cache);
    const coverage = new BackupCoverage(cache, this.options.serviceLevels);
    let unreadable: string | undefined;
    if (!cache.volumesReadable()) {
      unreadable = `Cluster ${cache.name} could not be read: ${
        errors[0]?.message ?? 'not synced yet'
      }`;
    } else if (!cache.backupsReadable()) {
      unreadable = `Velero objects in cluster ${cache.name} could not be read`;
    }
    return {
      cluster: cache.name,
      namespaces,
      volumes: [...claims, ...findDeletedClaims(cache, namespaces)].map(
        claim => ({
          ...this.volumeStatus(
            cache,
            coverage,
            claim,
            storageLocations,
            unreadable,
            now,
          ),
          namespaceOwner: attributed.get(claim.namespace),
        }),
      ),
      schedules: this.schedules(cache, namespaces),
      storageLocations,
      errors,
      migrationTargets: Array.from(
        cache.reflectors.storageClasses.store.values(),
      )
        .filter(c => storageEngineOf(c) === 'openebs-hostpath')
        .map(c => c.name)
        .sort(),
      ...(foreign.length > 0 && {
        withheld: {
          volumes: found.claims.length - claims.length,
          namespaces: foreign.length,
          reason: WITHHELD_REASON,
        },
      }),
    };
  }

  private volumeStatus(
    cache: ClusterCache,
    coverage: BackupCoverage,
    claim: ClaimRecord,
    storageLocations: StorageLocationSummary[],
    unreadable: string | undefined,
    now: Date,
  ): VolumeStatus {
    const { storageClasses, snapshotClasses, volumes, snapshots, nodes } =
      cache.reflectors;
    const storageClass = claim.storageClass
      ? storageClasses.store.byIndex('name', claim.storageClass)[0]
      : undefined;
    const volume = claim.volumeName
      ? volumes.store.byIndex('name', claim.volumeName)[0]
      : undefined;
    const pods = podsMounting(cache, claim);
    // The PV's node affinity is where the data is; before binding, the
    // scheduler's selected node is where it will be.
    const node = volume?.node ?? claim.selectedNode;
    const nodesReadable = nodes.status.synced && !nodes.status.error;
    const nodeHealth =
      claim.phase === 'Deleted'
        ? undefined
        : nodeHealthOf(
            node,
            nodesReadable
              ? { byName: name => nodes.store.byIndex('name', name)[0] }
              : undefined,
            pods,
          );
    const snapshottable = canSnapshot(
      storageClass,
      driver => snapshotClasses.store.byIndex('driver', driver).length > 0,
    );
    const engine =
      claim.phase === 'Deleted' ? 'unknown' : storageEngineOf(storageClass);
    const backups = coverage.backupsOf(claim);
    const lastGoodBackup = coverage.lastGoodBackup(backups, now);
    const covering = coverage.schedulesCovering(claim, pods);
    const schedules = covering.map(s => s.name);
    const recoveryPoint = assessRecoveryPoint({
      schedules: covering,
      lastGoodBackup,
      volumeCreatedAt: claim.createdAt,
      backupSeconds: this.options.serviceLevels.backupSeconds,
      now,
    });
    const skippedBy = coverage.newestRunWithout(claim, covering, backups);
    const snapshotList = snapshottable
      ? snapshots.store
          .byIndex('claim', `${claim.namespace}/${claim.name}`)
          .map(({ uid, namespace, claimName, ...summary }) => summary)
          .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))
      : [];
    const provisioningSeconds = secondsBetween(
      claim.createdAt,
      volume?.createdAt,
    );
    return {
      cluster: cache.name,
      namespace: claim.namespace,
      name: claim.name,
      uid: claim.uid,
      storageClass: claim.storageClass,
      engine,
      canSnapshot: snapshottable,
      phase: claim.phase,
      requested: claim.requested,
      provisioned: claim.provisioned,
      volumeName: claim.volumeName,
      node,
      nodeHealth,
      pods: pods.map(p => p.name).sort(),
      createdAt: claim.createdAt,
      provisioningSeconds,
      provisioningWithinServiceLevel:
        provisioningSeconds === undefined
          ? undefined
          : provisioningSeconds <=
            this.options.serviceLevels.provisioningSeconds,
      snapshots: snapshotList,
      backups,
      lastGoodBackup,
      schedules,
      recoveryPoint,
      health: assessVolumeHealth({
        namespace: claim.namespace,
        backups,
        lastGoodBackup,
        schedules,
        pausedSchedules: coverage
          .schedulesCovering(claim, pods, { paused: true })
          .map(s => s.name),
        recoveryPoint,
        skipped:
          skippedBy &&
          skippedVolumeReason({ claim, run: skippedBy, pods, volume }),
        localSnapshots: isNodeLocal(engine) ? snapshotList.length : undefined,
        storageLocations,
        unreadable,
        deleted: claim.phase === 'Deleted',
        node: nodeHealth && node ? { name: node, ...nodeHealth } : undefined,
        serviceLevels: this.options.serviceLevels,
        now,
      }),
    };
  }

  private schedules(
    cache: ClusterCache,
    namespaces: string[],
  ): ScheduleSummary[] {
    return Array.from(cache.reflectors.schedules.store.values())
      .map(schedule => ({
        name: schedule.name,
        cron: schedule.cron,
        paused: schedule.paused,
        ttl: schedule.ttl,
        phase: schedule.phase,
        lastBackupAt: schedule.lastBackupAt,
        storageLocation: schedule.storageLocation,
        coversNamespaces: namespaces.filter(ns =>
          namespaceInScope(
            ns,
            schedule.includedNamespaces,
            schedule.excludedNamespaces,
          ),
        ),
      }))
      .filter(schedule => schedule.coversNamespaces.length > 0)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private storageLocations(cache: ClusterCache): StorageLocationSummary[] {
    return Array.from(cache.reflectors.storageLocations.store.values())
      .map(({ uid, caCert, ...summary }) => summary)
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
