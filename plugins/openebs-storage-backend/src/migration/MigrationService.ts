import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  KUBERNETES_ANNOTATIONS,
  migrationFailedToStart,
  MigrationRunbook,
  VolumeMigration,
  VolumeMigrationInput,
} from '@openebs-portal/plugin-openebs-storage-common';
import { randomUUID } from 'crypto';
import { TenancyConfig } from '../config';
import { selectEntityObjects } from '../entities/entityObjectSelection';
import { ClusterCaches } from '../kubernetes/ClusterCaches';
import { NamespaceOwnership } from '../tenancy/NamespaceOwnership';
import { Requester } from '../tenancy/namespaceAccess';
import { setReclaimPolicy } from './claimSwap';
import { MigrationAnnouncer } from './migrationAnnouncer';
import { planMigration } from './migrationPlan';
import { MigrationRunner } from './MigrationRunner';
import { MIGRATION_STEPS, ROLLBACK_STEPS, stepsOf } from './migrationSteps';
import { MigrationStore } from './MigrationStore';
import { renderMigrationRunbook } from './runbook';

export interface MigrationServiceOptions {
  store: MigrationStore;
  clusters: ClusterCaches;
  ownership: NamespaceOwnership;
  tenancy: TenancyConfig;
  runner: MigrationRunner;
  logger: LoggerService;
  /** Told of each state the runner reaches (the owners hear of some). */
  announce?: MigrationAnnouncer;
  /** The downtime limit runbooks measure against (AC-004-02). */
  downtimeLimitSeconds: number;
}

/**
 * The copy claim's name: the claim's, cut to 40 characters (Kubernetes
 * names become labels, at most 63), then `-openebs-` and the migration's
 * id. A cut that ends in `.` or `-` is trimmed: `a.-openebs` is no valid
 * name.
 */
export function copyClaimName(claim: string, id: string): string {
  return `${claim.slice(0, 40).replace(/[-.]+$/, '')}-openebs-${id.slice(
    0,
    8,
  )}`;
}

/**
 * Migrations of an entity's claims onto OpenEBS: planned and authorised
 * (migrationPlan.ts), recorded (one per claim at a time), then led by the
 * runner, one pass per tick; confirmed or rolled back by the entity's
 * owners once the workload runs on the new volume.
 */
export class MigrationService {
  constructor(private readonly options: MigrationServiceOptions) {}

  async request(
    entity: Entity,
    input: VolumeMigrationInput,
    requester: Requester,
  ): Promise<{ migration: VolumeMigration; created: boolean }> {
    const { store, clusters, ownership, tenancy, logger } = this.options;
    const entityRef = stringifyEntityRef(entity);
    const previous = await store.findByRequestId(
      requester.userEntityRef,
      input.requestId,
    );
    if (previous) return { migration: previous, created: false };
    const selection = selectEntityObjects(entity);
    if (!selection) {
      throw new InputError(
        `Entity ${entityRef} has neither the ${KUBERNETES_ANNOTATIONS.id} nor the ${KUBERNETES_ANNOTATIONS.labelSelector} annotation`,
      );
    }
    const cache = clusters.get(input.cluster);
    const plan = await planMigration(
      { entity, entityRef, selection, cache, input, requester },
      ownership,
      tenancy,
    );
    const id = randomUUID();
    const now = new Date().toISOString();
    const described = {
      claim: input.claim,
      workloads: plan.workloads,
      targetClass: input.targetClass,
      source: {
        name: plan.volume.name,
        storageClass: plan.claim.storageClass ?? '',
        reclaimPolicy: plan.volume.reclaimPolicy,
      },
      node: plan.volume.node,
    };
    const migration: VolumeMigration = {
      ...described,
      id,
      requestId: input.requestId,
      entityRef,
      cluster: input.cluster,
      namespace: input.namespace,
      claimUid: plan.claim.uid,
      capacity: plan.claim.capacity,
      accessModes: plan.claim.accessModes,
      claimLabels: plan.claim.labels,
      copyClaim: copyClaimName(input.claim, id),
      steps: stepsOf(MIGRATION_STEPS, described),
      state: 'in-progress',
      requestedBy: requester.userEntityRef,
      requestedAt: now,
      updatedAt: now,
    };
    const stored = await store.insert(migration);
    if (stored.status === 'held') {
      throw new ConflictError(
        `Claim ${input.claim} is already being migrated (${stored.migration.state}, requested by ${stored.migration.requestedBy} at ${stored.migration.requestedAt}); confirm or roll that one back first`,
      );
    }
    if (stored.status === 'created') {
      logger.info(
        `Migration ${id} of ${input.namespace}/${input.claim} onto ${input.targetClass} requested`,
        {
          entityRef,
          cluster: input.cluster,
          requestedBy: requester.userEntityRef,
        },
      );
    }
    return {
      migration: stored.migration,
      created: stored.status === 'created',
    };
  }

  listForEntity(entityRef: string): Promise<VolumeMigration[]> {
    return this.options.store.listForEntity(entityRef);
  }

  /** One of the entity's migrations as a runbook with its real names. */
  async runbook(entityRef: string, id: string): Promise<MigrationRunbook> {
    const migration = await this.ofEntity(entityRef, id);
    return {
      markdown: renderMigrationRunbook(
        migration,
        this.options.downtimeLimitSeconds,
      ),
    };
  }

  private async ofEntity(
    entityRef: string,
    id: string,
  ): Promise<VolumeMigration> {
    const migration = await this.options.store.get(id);
    if (!migration || migration.entityRef !== entityRef) {
      throw new NotFoundError(`No migration ${id} for ${entityRef}`);
    }
    return migration;
  }

  /**
   * The team keeps the new volume: both volumes get their reclaim policy
   * back, so the old one goes the way its class says (a provisioner deletes
   * its data; a static volume stays Released for the admins).
   */
  async confirm(
    entityRef: string,
    id: string,
    decidedBy: string,
  ): Promise<VolumeMigration> {
    const migration = await this.awaitingDecision(entityRef, id);
    const { kubeConfig } = this.options.clusters.get(migration.cluster);
    for (const volume of [migration.source, migration.target!]) {
      if (volume.reclaimPolicy && volume.reclaimPolicy !== 'Retain') {
        await setReclaimPolicy(kubeConfig, volume.name, volume.reclaimPolicy);
      }
    }
    return this.decided(migration, 'confirmed', decidedBy);
  }

  /** The team goes back to the old volume: the runner leads the rollback. */
  async rollBack(
    entityRef: string,
    id: string,
    decidedBy: string,
  ): Promise<VolumeMigration> {
    const migration = await this.awaitingDecision(entityRef, id, {
      failedStartRollsBack: true,
    });
    migration.rollbackSteps = stepsOf(ROLLBACK_STEPS, migration);
    migration.failureReason = undefined;
    return this.decided(migration, 'rolling-back', decidedBy);
  }

  /** One pass of every running migration (the scheduler's task). */
  async syncOnce(): Promise<void> {
    const { store, clusters, runner, logger } = this.options;
    for (const migration of await store.listRunning()) {
      try {
        const next = await runner.advance(
          migration,
          clusters.get(migration.cluster),
        );
        if (next) {
          await store.update(next);
          if (next.state !== migration.state)
            await this.options.announce?.(next);
        }
      } catch (error: any) {
        // One cluster's trouble must not hold the others' migrations.
        logger.warn(`Migration ${migration.id}: ${error.message}`);
      }
    }
  }

  /**
   * The migration, if it awaits the team's decision. A migration whose
   * workloads did not become Ready on the new volume may still be rolled
   * back (`failedStartRollsBack`): the data is whole on both volumes.
   */
  private async awaitingDecision(
    entityRef: string,
    id: string,
    options: { failedStartRollsBack?: boolean } = {},
  ): Promise<VolumeMigration> {
    const migration = await this.ofEntity(entityRef, id);
    if (options.failedStartRollsBack && migrationFailedToStart(migration)) {
      return migration;
    }
    if (migration.state !== 'awaiting-confirmation') {
      throw new ConflictError(
        `Migration ${id} is ${migration.state}; only one that awaits confirmation can be confirmed or rolled back`,
      );
    }
    return migration;
  }

  private async decided(
    migration: VolumeMigration,
    state: VolumeMigration['state'],
    decidedBy: string,
  ): Promise<VolumeMigration> {
    const now = new Date().toISOString();
    const next = {
      ...migration,
      state,
      decidedBy,
      decidedAt: now,
      updatedAt: now,
    };
    await this.options.store.update(next);
    this.options.logger.info(`Migration ${migration.id} ${state}`, {
      entityRef: migration.entityRef,
      decidedBy,
    });
    return next;
  }
}
