import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  ACTIVE_DRILL_STATES,
  DRILL_CADENCES,
  DrillEnrolmentRequest,
  DrillEvidenceExport,
  EntityDrills,
  EntityStorage,
  RestoreDrill,
} from '@openebs-portal/plugin-openebs-storage-common';
import { randomUUID } from 'crypto';
import { DrillConfig, TenancyConfig } from '../config';
import { EntityStorageService } from '../storage/EntityStorageService';
import { RestoreService } from '../restore/RestoreService';
import { DrillStore } from './DrillStore';
import { DRILL_REQUESTER } from './DrillRunner';
import { chooseDrillTarget } from './drillTarget';
import { checkEvidenceChain } from './evidenceChain';
import { unverifiedReason, withDrillHealth } from './drillHealth';
import { scratchNamespaceName } from './scratchNamespace';
import { verificationOf } from './drillVerification';

export interface DrillServiceOptions {
  store: DrillStore;
  storage: EntityStorageService;
  restores: RestoreService;
  tenancy: TenancyConfig;
  config: DrillConfig;
  /** The catalog's entities enrolled by annotation or on the tab. */
  listEnrolled: () => Promise<Entity[]>;
  logger: LoggerService;
  now?: () => Date;
}

/** What an enrolled entity's drills prove. */
export interface DrillProof {
  /** The result of the newest drill that reached a verdict. */
  lastJudged?: 'passed' | 'failed';
  lastPassed?: RestoreDrill;
  /** Why the data counts as unverified, when it does. */
  unverified?: string;
}

/**
 * Queues drills (on demand, or when an enrolled entity's turn comes), lists
 * them with the state of the evidence, and adds the proof to an entity's
 * health. Queueing checks what the drill will do as a restore would be
 * checked, so a refusal is said at once and nothing is created.
 */
export class DrillService {
  private readonly now: () => Date;

  constructor(private readonly options: DrillServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** A drill now; the entity's drill already queued or running, if any. */
  async runNow(
    entity: Entity,
    startedBy: string,
  ): Promise<{ drill: RestoreDrill; created: boolean }> {
    if (!this.options.config.enabled) {
      throw new NotAllowedError(
        'Restore drills are turned off on this portal (openebsStorage.drills.enabled)',
      );
    }
    const entityRef = stringifyEntityRef(entity);
    const running = (await this.options.store.listForEntity(entityRef)).find(
      drill => ACTIVE_DRILL_STATES.includes(drill.state),
    );
    if (running) return { drill: running, created: false };
    return { drill: await this.queue(entity, startedBy), created: true };
  }

  /**
   * Queues a drill for each enrolled entity whose cadence (bounded below by
   * `minimumIntervalHours`) has passed since its last one. An entity that
   * cannot be drilled gets a failed record saying why, so its tab says it.
   */
  async enqueueDue(): Promise<void> {
    if (!this.options.config.enabled) return;
    const { store, config, logger } = this.options;
    const lastQueued = await store.lastQueuedByEntity();
    for (const entity of await this.options.listEnrolled()) {
      const cadence = (await store.enrolments.of(entity)).enrolled?.cadence;
      if (!cadence) continue;
      const entityRef = stringifyEntityRef(entity);
      const hours = Math.max(
        DRILL_CADENCES[cadence],
        config.minimumIntervalHours,
      );
      const last = lastQueued.get(entityRef);
      if (last && this.now().getTime() - Date.parse(last) < hours * 3_600_000) {
        continue;
      }
      await this.queue(entity, 'schedule').catch(async error => {
        logger.info(`Restore drill of ${entityRef} not queued: ${error}`);
        await this.recordRefusal(entityRef, error.message ?? String(error));
      });
    }
  }

  async listForEntity(entity: Entity): Promise<EntityDrills> {
    const { store } = this.options;
    const entityRef = stringifyEntityRef(entity);
    return {
      ...(await store.enrolments.of(entity)),
      drills: await store.listForEntity(entityRef),
      lastPassed: await store.lastPassed(entityRef),
      evidence: checkEvidenceChain(
        await store.sealedRecords(),
        store.evidenceKey,
      ),
    };
  }

  /** The entity's storage with its drills' proof in its health. */
  async withHealth(
    entity: Entity,
    storage: EntityStorage,
  ): Promise<EntityStorage> {
    return (await this.withProof(entity, storage)).storage;
  }

  /**
   * The entity's storage with its drills' proof in its health, and that
   * proof on its own (for its metrics; `undefined` when not enrolled), from
   * one read of its recent drills.
   */
  async withProof(
    entity: Entity,
    storage: EntityStorage,
  ): Promise<{ storage: EntityStorage; proof?: DrillProof }> {
    const recent = await this.recentDrills(entity);
    if (!recent) return { storage };
    const days = this.options.config.unverifiedAfterDays;
    const now = this.now();
    const lastJudged = recent.drills.find(
      d => d.state === 'passed' || d.state === 'failed',
    );
    return {
      storage: withDrillHealth(storage, recent, days, now),
      proof: {
        lastJudged: lastJudged?.state as DrillProof['lastJudged'],
        lastPassed: recent.lastPassed,
        unverified: unverifiedReason(recent, days, now),
      },
    };
  }

  private async recentDrills(entity: Entity) {
    const { enrolled } = await this.options.store.enrolments.of(entity);
    if (!enrolled) return undefined;
    const entityRef = stringifyEntityRef(entity);
    return {
      enrolled,
      drills: await this.options.store.listForEntity(entityRef, 5),
      lastPassed: await this.options.store.lastPassed(entityRef),
    };
  }

  /**
   * Enrols the entity from the tab (a cadence, or `off`), or hands the
   * decision back to its annotation (`null`).
   */
  async setEnrolment(
    entity: Entity,
    request: DrillEnrolmentRequest,
    setBy: string,
  ): Promise<EntityDrills> {
    const { cadence } = request ?? {};
    if (
      cadence !== null &&
      cadence !== 'off' &&
      !(typeof cadence === 'string' && cadence in DRILL_CADENCES)
    ) {
      throw new InputError(
        `cadence must be one of ${Object.keys(DRILL_CADENCES).join(
          ', ',
        )}, off, or null (the annotation decides), not ${JSON.stringify(
          cadence,
        )}`,
      );
    }
    await this.options.store.enrolments.set(
      stringifyEntityRef(entity),
      cadence ?? undefined,
      setBy,
      this.now(),
    );
    return this.listForEntity(entity);
  }

  /** The entity's sealed evidence, with the check of the whole chain. */
  async exportEvidence(entityRef: string): Promise<DrillEvidenceExport> {
    const { store } = this.options;
    return {
      entityRef,
      exportedAt: this.now().toISOString(),
      check: checkEvidenceChain(await store.sealedRecords(), store.evidenceKey),
      records: (await store.sealedRecordsOf(entityRef)).map(record => ({
        seq: record.seq,
        evidence: JSON.parse(record.evidence),
        prevHash: record.prevHash,
        hash: record.hash,
      })),
    };
  }

  private async queue(entity: Entity, startedBy: string) {
    const { store, storage, restores, tenancy } = this.options;
    const entityRef = stringifyEntityRef(entity);
    const target = chooseDrillTarget(await storage.getEntityStorage(entity));
    if ('refusal' in target) throw new InputError(target.refusal);
    // Read before anything is created: a malformed check is refused at once.
    const verification = verificationOf(entity);
    const id = randomUUID();
    const scratchNamespace = scratchNamespaceName(
      tenancy,
      target.namespace,
      id,
    );
    // The checks a restore of this backup into the scratch namespace meets
    // (tenancy above all); the runner plans again when it starts.
    await restores.planRestore(
      entity,
      {
        cluster: target.cluster,
        namespace: target.namespace,
        backupName: target.backupName,
        volumes: target.volumes.map(v => v.claim),
        mode: 'new-namespace',
        targetNamespace: scratchNamespace,
      },
      {
        userEntityRef: DRILL_REQUESTER,
        ownershipEntityRefs: [],
        isAdmin: false,
      },
    );
    return store.insert({
      id,
      entityRef,
      cluster: target.cluster,
      sourceNamespace: target.namespace,
      scratchNamespace,
      startedBy,
      queuedAt: this.now().toISOString(),
      verification,
    });
  }

  private async recordRefusal(entityRef: string, reason: string) {
    const id = randomUUID();
    const at = this.now().toISOString();
    await this.options.store.insert({
      id,
      entityRef,
      cluster: '',
      sourceNamespace: '',
      scratchNamespace: '',
      startedBy: 'schedule',
      queuedAt: at,
    });
    await this.options.store.finish(id, {
      state: 'failed',
      reason: `Could not start: ${reason}`,
      finishedAt: at,
      cleanedAt: at,
    });
  }
}
