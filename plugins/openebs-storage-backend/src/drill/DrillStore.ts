import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ACTIVE_DRILL_STATES,
  DrillState,
  DrillVerification,
  DrillVolume,
  RestoreDrill,
} from '@openebs-portal/plugin-openebs-storage-common';
import { Knex } from 'knex';
import { DrillEnrolments } from './DrillEnrolments';
import {
  canonicalEvidence,
  GENESIS,
  SealedEvidence,
  sealHash,
} from './evidenceChain';

const TABLE = 'restore_drills';

interface DrillRow {
  id: string;
  entity_ref: string;
  cluster: string;
  source_namespace: string;
  scratch_namespace: string;
  backup_name: string | null;
  restore_name: string | null;
  state: string;
  started_by: string;
  queued_at: string;
  started_at: string | null;
  data_back_at: string | null;
  ready_at: string | null;
  finished_at: string | null;
  volumes: string;
  verification: string | null;
  reason: string | null;
  cleaned_at: string | null;
  updated_at: string;
  seq: number | null;
  evidence: string | null;
  prev_hash: string | null;
  hash: string | null;
}

/** The fields of a drill that change as it runs. */
export type DrillUpdate = Partial<
  Pick<
    RestoreDrill,
    | 'state'
    | 'backupName'
    | 'restoreName'
    | 'startedAt'
    | 'dataBackAt'
    | 'readyAt'
    | 'finishedAt'
    | 'volumes'
    | 'verification'
    | 'reason'
    | 'cleanedAt'
  >
>;

const migrationsDir = resolvePackagePath(
  '@openebs-portal/plugin-openebs-storage-backend',
  'migrations',
);

const optional = (value: string | null) => value ?? undefined;

function toDrill(row: DrillRow): RestoreDrill {
  const startedAt = optional(row.started_at);
  const readyAt = optional(row.ready_at);
  return {
    id: row.id,
    entityRef: row.entity_ref,
    cluster: row.cluster,
    sourceNamespace: row.source_namespace,
    scratchNamespace: row.scratch_namespace,
    backupName: optional(row.backup_name),
    restoreName: optional(row.restore_name),
    state: row.state as DrillState,
    startedBy: row.started_by,
    queuedAt: row.queued_at,
    startedAt,
    dataBackAt: optional(row.data_back_at),
    readyAt,
    finishedAt: optional(row.finished_at),
    recoverySeconds:
      startedAt && readyAt
        ? (Date.parse(readyAt) - Date.parse(startedAt)) / 1000
        : undefined,
    volumes: JSON.parse(row.volumes) as DrillVolume[],
    verification: row.verification
      ? (JSON.parse(row.verification) as DrillVerification)
      : undefined,
    reason: optional(row.reason),
    cleanedAt: optional(row.cleaned_at),
  };
}

function toColumns(update: DrillUpdate): Partial<DrillRow> {
  const columns: Partial<DrillRow> = {
    state: update.state,
    backup_name: update.backupName,
    restore_name: update.restoreName,
    started_at: update.startedAt,
    data_back_at: update.dataBackAt,
    ready_at: update.readyAt,
    finished_at: update.finishedAt,
    volumes: update.volumes && JSON.stringify(update.volumes),
    verification: update.verification && JSON.stringify(update.verification),
    reason: update.reason,
    cleaned_at: update.cleanedAt,
  };
  return Object.fromEntries(
    Object.entries(columns).filter(([, value]) => value !== undefined),
  );
}

/**
 * Drills in the plugin's database; a finished drill's evidence sealed into
 * the chain (see evidenceChain.ts) in the same transaction that ends it.
 */
export class DrillStore {
  static async create(
    database: DatabaseService,
    evidenceKey: string | undefined,
  ): Promise<DrillStore> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DrillStore(client, evidenceKey);
  }

  /** The enrolments set on the tab, in the same database. */
  readonly enrolments: DrillEnrolments;

  private constructor(
    private readonly db: Knex,
    readonly evidenceKey: string | undefined,
  ) {
    this.enrolments = new DrillEnrolments(db);
  }

  async insert(
    drill: Pick<
      RestoreDrill,
      | 'id'
      | 'entityRef'
      | 'cluster'
      | 'sourceNamespace'
      | 'scratchNamespace'
      | 'startedBy'
      | 'queuedAt'
      | 'verification'
    >,
  ): Promise<RestoreDrill> {
    await this.db<DrillRow>(TABLE).insert({
      id: drill.id,
      entity_ref: drill.entityRef,
      cluster: drill.cluster,
      source_namespace: drill.sourceNamespace,
      scratch_namespace: drill.scratchNamespace,
      state: 'queued',
      started_by: drill.startedBy,
      queued_at: drill.queuedAt,
      volumes: '[]',
      verification: drill.verification
        ? JSON.stringify(drill.verification)
        : null,
      updated_at: drill.queuedAt,
    });
    return (await this.get(drill.id))!;
  }

  async get(id: string): Promise<RestoreDrill | undefined> {
    const row = await this.db<DrillRow>(TABLE).where({ id }).first();
    return row && toDrill(row);
  }

  /** The entity's drills, newest first. */
  async listForEntity(entityRef: string, limit = 20): Promise<RestoreDrill[]> {
    const rows = await this.db<DrillRow>(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy('queued_at', 'desc')
      .limit(limit);
    return rows.map(toDrill);
  }

  /** The entity's newest passed drill, however many failed since. */
  async lastPassed(entityRef: string): Promise<RestoreDrill | undefined> {
    const row = await this.db<DrillRow>(TABLE)
      .where({ entity_ref: entityRef, state: 'passed' })
      .orderBy('finished_at', 'desc')
      .first();
    return row && toDrill(row);
  }

  /** The entity's sealed records, in chain order (what an export holds). */
  async sealedRecordsOf(entityRef: string): Promise<SealedEvidence[]> {
    return (await this.sealedRecords()).filter(
      record => JSON.parse(record.evidence).entityRef === entityRef,
    );
  }

  /** Drills still running, and finished ones whose namespace is not deleted yet. */
  async listUnfinished(): Promise<RestoreDrill[]> {
    const rows = await this.db<DrillRow>(TABLE)
      .whereIn('state', ACTIVE_DRILL_STATES)
      .orWhereNull('cleaned_at')
      .orderBy('queued_at', 'asc');
    return rows.map(toDrill);
  }

  /** When each entity's newest drill was queued (for the schedule). */
  async lastQueuedByEntity(): Promise<Map<string, string>> {
    const rows = await this.db<DrillRow>(TABLE)
      .select('entity_ref')
      .max({ last: 'queued_at' })
      .groupBy('entity_ref');
    return new Map(
      rows.map((row: any) => [row.entity_ref as string, row.last as string]),
    );
  }

  async update(id: string, update: DrillUpdate): Promise<void> {
    await this.db<DrillRow>(TABLE)
      .where({ id })
      .update({ ...toColumns(update), updated_at: new Date().toISOString() });
  }

  /**
   * Ends a drill and seals its evidence as the next record of the chain, in
   * one transaction. `seq` is unique, so two writers cannot both take it.
   */
  async finish(id: string, update: DrillUpdate): Promise<RestoreDrill> {
    return this.db.transaction(async tx => {
      await tx<DrillRow>(TABLE)
        .where({ id })
        .update({ ...toColumns(update), updated_at: new Date().toISOString() });
      const drill = toDrill((await tx<DrillRow>(TABLE).where({ id }).first())!);
      const last = await tx<DrillRow>(TABLE)
        .whereNotNull('seq')
        .orderBy('seq', 'desc')
        .first();
      const prevHash = last?.hash ?? GENESIS;
      const evidence = canonicalEvidence(evidenceOf(drill));
      await tx<DrillRow>(TABLE)
        .where({ id })
        .update({
          seq: (last?.seq ?? 0) + 1,
          evidence,
          prev_hash: prevHash,
          hash: sealHash(this.evidenceKey, prevHash, evidence),
        });
      return drill;
    });
  }

  async sealedRecords(): Promise<SealedEvidence[]> {
    const rows = await this.db<DrillRow>(TABLE)
      .whereNotNull('seq')
      .orderBy('seq', 'asc');
    return rows.map(row => ({
      seq: row.seq!,
      drillId: row.id,
      evidence: row.evidence ?? '',
      current: canonicalEvidence(evidenceOf(toDrill(row))),
      prevHash: row.prev_hash ?? '',
      hash: row.hash ?? '',
    }));
  }
}

/**
 * What a sealed record vouches for: everything that says what was proven,
 * not the bookkeeping that changes afterwards (when the scratch namespace
 * was deleted).
 */
export function evidenceOf(drill: RestoreDrill) {
  const { cleanedAt, recoverySeconds, ...evidence } = drill;
  return evidence;
}
