import { LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'crypto';
import { Entity } from '@backstage/catalog-model';
import {
  DrillVolume,
  RestoreDrill,
} from '@openebs-portal/plugin-openebs-storage-common';
import { ClusterCache } from '../kubernetes/ClusterCache';
import { ClusterCaches } from '../kubernetes/ClusterCaches';
import { PodRecord } from '../kubernetes/records';
import { deleteRestore } from '../kubernetes/velero';
import { TenancyConfig } from '../config';
import { EntityStorageService } from '../storage/EntityStorageService';
import { RestoreService } from '../restore/RestoreService';
import { RestoreStore } from '../restore/RestoreStore';
import { createRestore } from '../restore/createRestore';
import { buildRestoreManifest } from '../restore/restoreManifest';
import { restoreProgressOf } from '../restore/restoreProgress';
import { DrillStore, DrillUpdate } from './DrillStore';
import { chooseDrillTarget } from './drillTarget';
import { drillVerdict } from './drillVerdict';
import { runVerification } from './drillVerification';
import {
  createScratchNamespace,
  deleteScratchNamespace,
  DRILL_LABELS,
  scratchNamespaceName,
} from './scratchNamespace';

/** The first restored pod (by name) that mounts a drilled claim. */
function podToVerify(pods: PodRecord[], drill: RestoreDrill): PodRecord {
  const claims = new Set(drill.volumes.map(v => v.claim));
  const sorted = [...pods].sort((a, b) => a.name.localeCompare(b.name));
  return sorted.find(p => p.claimNames.some(c => claims.has(c))) ?? sorted[0];
}

/** Who the Restores of drills are requested by (never a user). */
export const DRILL_REQUESTER = 'openebs-storage:restore-drills';

/** How long a started drill may wait for its Restore to appear in the cache. */
const MISSING_RESTORE_GRACE_MS = 2 * 60_000;
/** How long after the data is back "no pods at all" is believed. */
const NO_PODS_GRACE_MS = 15_000;

export interface DrillRunnerOptions {
  store: DrillStore;
  restoreStore: RestoreStore;
  restores: RestoreService;
  storage: EntityStorageService;
  clusters: ClusterCaches;
  tenancy: TenancyConfig;
  veleroNamespace: string;
  /** The entity of a drill, as the catalog has it now (undefined: gone). */
  loadEntity: (entityRef: string) => Promise<Entity | undefined>;
  readyTimeoutSeconds: number;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * Leads each drill: starts the oldest queued one of a cluster when neither
 * another drill nor a user's restore is running there, follows its Restore
 * and the restored pods, judges it, seals the evidence and deletes the
 * scratch namespace (after a failure too). Every pass is safe to repeat: a
 * restart or another instance picks up where the records say.
 */
export class DrillRunner {
  private readonly now: () => Date;

  constructor(private readonly options: DrillRunnerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async syncOnce(): Promise<void> {
    const { store, restoreStore, clusters } = this.options;
    const unfinished = await store.listUnfinished();
    const usersRestoring = new Set(
      (await restoreStore.listInProgress()).map(r => r.cluster),
    );
    for (const drill of unfinished) {
      const cache = clusters.find(drill.cluster);
      if (!cache) continue;
      try {
        await this.advance(cache, drill, usersRestoring.has(drill.cluster));
      } catch (error) {
        this.options.logger.warn(
          `Restore drill ${drill.id} of ${drill.entityRef}: ${error}`,
        );
      }
    }
    const busy = new Set(
      unfinished
        .filter(d => d.state === 'restoring' || d.state === 'starting')
        .map(d => d.cluster),
    );
    for (const drill of unfinished.filter(d => d.state === 'queued')) {
      if (busy.has(drill.cluster) || usersRestoring.has(drill.cluster)) {
        continue;
      }
      busy.add(drill.cluster);
      await this.start(drill).catch(error =>
        this.finish(drill, {
          state: 'failed',
          reason: `Could not start: ${error.message ?? error}`,
        }),
      );
    }
  }

  private async advance(
    cache: ClusterCache,
    drill: RestoreDrill,
    usersRestoring: boolean,
  ): Promise<void> {
    if (drill.state === 'restoring') {
      await this.followRestore(cache, drill, usersRestoring);
    } else if (drill.state === 'starting') {
      await this.followPods(cache, drill);
    } else if (drill.state !== 'queued' && !drill.cleanedAt) {
      const gone = await deleteScratchNamespace(
        cache.kubeConfig,
        drill.scratchNamespace,
        drill.id,
      );
      if (gone) {
        await this.options.store.update(drill.id, {
          cleanedAt: this.now().toISOString(),
        });
      }
    }
  }

  /**
   * The newest good backup of the drill's namespace, planned as a user's
   * restore would be (the entity must lead to the namespace and its owner
   * must be the namespace's recorded owner): a refusal creates nothing.
   */
  private async start(drill: RestoreDrill): Promise<void> {
    const { restores, storage, clusters, veleroNamespace, logger } =
      this.options;
    const entity = await this.options.loadEntity(drill.entityRef);
    if (!entity) {
      throw new Error(`${drill.entityRef} is no longer in the catalog`);
    }
    const target = chooseDrillTarget(await storage.getEntityStorage(entity), {
      cluster: drill.cluster,
      namespace: drill.sourceNamespace,
    });
    if ('refusal' in target) throw new Error(target.refusal);
    const claims = target.volumes.map(v => v.claim);
    const plan = await restores.planRestore(
      entity,
      {
        cluster: drill.cluster,
        namespace: drill.sourceNamespace,
        backupName: target.backupName,
        volumes: claims,
        mode: 'new-namespace',
        targetNamespace: drill.scratchNamespace,
      },
      {
        userEntityRef: DRILL_REQUESTER,
        ownershipEntityRefs: [],
        isAdmin: false,
      },
    );
    const cache = clusters.get(drill.cluster);
    await createScratchNamespace(cache.kubeConfig, {
      name: drill.scratchNamespace,
      drillId: drill.id,
      entityRef: drill.entityRef,
      owner: plan.owner,
      ownerAnnotation: this.options.tenancy.ownerAnnotation,
    });
    const restoreName = drill.scratchNamespace.slice(0, 63);
    const manifest = buildRestoreManifest({
      restoreName,
      veleroNamespace,
      requestId: drill.id,
      requestedBy: DRILL_REQUESTER,
      entityRef: drill.entityRef,
      backupName: target.backupName,
      sourceNamespace: drill.sourceNamespace,
      targetNamespace: drill.scratchNamespace,
      mode: 'new-namespace',
      volumes: claims,
      selector: plan.selector,
    });
    manifest.metadata.labels[DRILL_LABELS.drill] = drill.id;
    await createRestore(
      cache,
      veleroNamespace,
      logger,
      {
        id: drill.id,
        entityRef: drill.entityRef,
        requestId: drill.id,
        requestedBy: DRILL_REQUESTER,
      },
      manifest,
    );
    await this.options.store.update(drill.id, {
      state: 'restoring',
      startedAt: this.now().toISOString(),
      backupName: target.backupName,
      restoreName,
      volumes: target.volumes,
    });
    logger.info(
      `Restore drill ${drill.id} of ${drill.entityRef}: restoring ${target.backupName} into ${drill.scratchNamespace}`,
    );
  }

  /**
   * Velero runs one restore at a time: a drill whose Restore has not started
   * stands down for a user's (it runs again, queued anew).
   */
  private async followRestore(
    cache: ClusterCache,
    drill: RestoreDrill,
    usersRestoring: boolean,
  ): Promise<void> {
    const [restore] = cache.reflectors.restores.store.byIndex(
      'name',
      drill.restoreName ?? '',
    );
    if (!restore) {
      const waited = this.now().getTime() - Date.parse(drill.startedAt ?? '');
      if (waited > MISSING_RESTORE_GRACE_MS) {
        await this.finish(drill, {
          state: 'failed',
          reason: `The Velero Restore ${drill.restoreName} does not exist (deleted?)`,
        });
      }
      return;
    }
    if ((restore.phase === 'New' || restore.phase === '') && usersRestoring) {
      await deleteRestore(
        cache.kubeConfig,
        this.options.veleroNamespace,
        restore.name,
      );
      await this.finish(drill, {
        state: 'yielded',
        reason:
          "A user's restore in this cluster came first; the drill stood down before Velero started it and is queued again",
      });
      const id = randomUUID();
      await this.options.store.insert({
        ...drill,
        id,
        scratchNamespace: scratchNamespaceName(
          this.options.tenancy,
          drill.sourceNamespace,
          id,
        ),
        queuedAt: this.now().toISOString(),
      });
      return;
    }
    // Velero's phase read as the tracker reads it: a partial restore is no
    // proof either.
    const progress = restoreProgressOf(cache, restore);
    if (progress.state === 'failed' || progress.state === 'partially-failed') {
      await this.finish(drill, {
        state: 'failed',
        reason: `Velero's restore ${restore.phase}${
          restore.failureReason ? `: ${restore.failureReason}` : ''
        }`,
      });
      return;
    }
    if (progress.state !== 'completed') return;
    const volumes: DrillVolume[] = drill.volumes.map(volume => {
      const restored = progress.volumeProgress.find(
        p => p.claimName === volume.claim,
      );
      return {
        ...volume,
        bytesRestored: restored?.totalBytes ?? restored?.bytesDone,
      };
    });
    await this.options.store.update(drill.id, {
      state: 'starting',
      dataBackAt: restore.completedAt ?? this.now().toISOString(),
      volumes,
    });
  }

  /** The restored pods Ready (or timed out), then the verdict. */
  private async followPods(
    cache: ClusterCache,
    drill: RestoreDrill,
  ): Promise<void> {
    const pods = cache.reflectors.pods.store.byIndex(
      'namespace',
      drill.scratchNamespace,
    );
    const now = this.now();
    const sinceDataBack = now.getTime() - Date.parse(drill.dataBackAt ?? '');
    const notReady = pods.filter(pod => !pod.ready);
    if (pods.length === 0 && sinceDataBack < NO_PODS_GRACE_MS) return;
    if (notReady.length === 0) {
      const verification =
        drill.verification &&
        (await runVerification(
          cache.kubeConfig,
          drill.scratchNamespace,
          podToVerify(pods, drill).name,
          drill.verification,
        ));
      await this.finish(drill, {
        ...drillVerdict(drill.volumes, verification),
        verification,
        readyAt: now.toISOString(),
      });
    } else if (sinceDataBack > this.options.readyTimeoutSeconds * 1000) {
      await this.finish(drill, {
        state: 'failed',
        reason: `Restored pods not Ready within ${Math.round(
          this.options.readyTimeoutSeconds / 60,
        )} min: ${notReady
          .map(pod => `${pod.name} (${pod.phase ?? 'unknown'})`)
          .join(', ')}`,
      });
    }
  }

  private async finish(drill: RestoreDrill, update: DrillUpdate) {
    const finished = await this.options.store.finish(drill.id, {
      ...update,
      finishedAt: this.now().toISOString(),
    });
    this.options.logger.info(
      `Restore drill ${drill.id} of ${drill.entityRef}: ${finished.state}${
        finished.reason ? ` (${finished.reason})` : ''
      }`,
    );
  }
}
