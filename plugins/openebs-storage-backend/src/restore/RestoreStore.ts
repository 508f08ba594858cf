import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  InPlaceRestore,
  RestoreApproval,
  RestoreContents,
  RestoreRequest,
  RestoreState,
  RestoreVolumeProgress,
} from '@openebs-portal/plugin-openebs-storage-common';
import { Knex } from 'knex';

const TABLE = 'restore_requests';

interface RestoreRow {
  id: string;
  request_id: string;
  requested_by: string;
  entity_ref: string;
  cluster: string;
  backup_name: string;
  mode: string;
  source_namespace: string;
  target_namespace: string;
  volumes: string;
  restore_name: string;
  state: string;
  phase: string | null;
  warnings: number | null;
  errors: number | null;
  started_at: string | null;
  completed_at: string | null;
  failure_reason: string | null;
  volume_progress: string | null;
  log_state: string | null;
  log_excerpt: string | null;
  requested_at: string;
  updated_at: string;
  entity_slot: number | null;
  user_slot: number | null;
  target_hold: string | null;
  contents: string | null;
  cancelled_by: string | null;
  in_place: string | null;
  restore_manifest: string | null;
  approval: string | null;
}

/** What a request in progress holds: slots of the two caps, and its target. */
export interface RestoreHolds {
  entitySlot: number;
  userSlot: number;
  /** `cluster/namespace`. */
  target: string;
}

/** The requests in progress that hold what a new request would need. */
export interface ActiveHolders {
  ofEntity: RestoreRequest[];
  entitySlots: number[];
  ofUser: RestoreRequest[];
  userSlots: number[];
  ofTarget?: RestoreRequest;
}

/** A finished request holds nothing. */
const RELEASED = { entity_slot: null, user_slot: null, target_hold: null };

/** What the tracker learns about a Restore and writes back. */
export interface RestoreProgressUpdate {
  state: RestoreState;
  phase?: string;
  warnings?: number;
  errors?: number;
  startedAt?: string;
  completedAt?: string;
  failureReason?: string;
  volumeProgress: RestoreVolumeProgress[];
  /** An in-place restore's steps as they now stand. */
  inPlace?: InPlaceRestore;
}

export type NewRestoreRequest = Omit<
  RestoreRequest,
  | 'durationSeconds'
  | 'withinServiceLevel'
  | 'volumeProgress'
  | 'logState'
  | 'logExcerpt'
  | 'cancelledBy'
> & {
  contents: RestoreContents;
  /** For in-place: the Restore to create once the claims are gone. */
  restoreManifest?: unknown;
};

export function targetHoldOf(cluster: string, namespace: string): string {
  return `${cluster}/${namespace}`;
}

const migrationsDir = resolvePackagePath(
  '@openebs-portal/plugin-openebs-storage-backend',
  'migrations',
);

/**
 * Restore requests in the plugin's database (SQLite or PostgreSQL through
 * the database service, schema by Knex migrations).
 */
export class RestoreStore {
  static async create(database: DatabaseService): Promise<RestoreStore> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new RestoreStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /** The requests in progress holding slots of this entity or user, or this target. */
  async activeHolders(
    entityRef: string,
    requestedBy: string,
    target: string,
  ): Promise<ActiveHolders> {
    const rows = await this.db<RestoreRow>(TABLE)
      .where(q =>
        q
          .where(w =>
            w.where({ entity_ref: entityRef }).whereNotNull('entity_slot'),
          )
          .orWhere(w =>
            w.where({ requested_by: requestedBy }).whereNotNull('user_slot'),
          )
          .orWhere({ target_hold: target }),
      )
      .orderBy('requested_at');
    const ofTarget = rows.find(r => r.target_hold === target);
    const ofEntity = rows.filter(
      r => r.entity_ref === entityRef && r.entity_slot !== null,
    );
    const ofUser = rows.filter(
      r => r.requested_by === requestedBy && r.user_slot !== null,
    );
    return {
      ofEntity: ofEntity.map(toRequest),
      entitySlots: ofEntity.map(r => r.entity_slot!),
      ofUser: ofUser.map(toRequest),
      userSlots: ofUser.map(r => r.user_slot!),
      ofTarget: ofTarget && toRequest(ofTarget),
    };
  }

  /**
   * Inserts a request holding `holds`, unless the same requester already
   * sent this request id; returns the stored row, and whether it is new.
   * Throws when another request took a slot or the target first (the unique
   * indexes decide, across instances): the caller checks again.
   */
  async insertOnce(
    request: NewRestoreRequest,
    holds: RestoreHolds,
  ): Promise<{ request: RestoreRequest; created: boolean }> {
    // The caller looked the request id up just before (RestoreService);
    // a row that appeared since makes the insert fail, and is found below.
    try {
      await this.db<RestoreRow>(TABLE).insert({
        entity_slot: holds.entitySlot,
        user_slot: holds.userSlot,
        target_hold: holds.target,
        contents: JSON.stringify(request.contents),
        in_place: request.inPlace ? JSON.stringify(request.inPlace) : null,
        restore_manifest:
          request.restoreManifest === undefined
            ? null
            : JSON.stringify(request.restoreManifest),
        id: request.id,
        request_id: request.requestId,
        requested_by: request.requestedBy,
        entity_ref: request.entityRef,
        cluster: request.cluster,
        backup_name: request.backupName,
        mode: request.mode,
        source_namespace: request.sourceNamespace,
        target_namespace: request.targetNamespace,
        volumes: JSON.stringify(request.volumes),
        restore_name: request.restoreName,
        state: request.state,
        phase: request.phase ?? null,
        failure_reason: request.failureReason ?? null,
        volume_progress: '[]',
        requested_at: request.requestedAt,
        updated_at: request.requestedAt,
      });
      return { request: (await this.get(request.id))!, created: true };
    } catch (error) {
      // Lost a race with another instance or a double submit: theirs stands.
      const raced = await this.findByRequestId(
        request.requestedBy,
        request.requestId,
      );
      if (raced) return { request: raced, created: false };
      throw error;
    }
  }

  async get(id: string): Promise<RestoreRequest | undefined> {
    const row = await this.db<RestoreRow>(TABLE).where({ id }).first();
    return row && toRequest(row);
  }

  /** The Restore an in-place request creates at its restore step. */
  async restoreManifest(id: string): Promise<unknown | undefined> {
    const row = await this.db<RestoreRow>(TABLE)
      .where({ id })
      .select('restore_manifest')
      .first();
    return parseJson<unknown | undefined>(
      row?.restore_manifest ?? null,
      undefined,
    );
  }

  async findByRequestId(
    requestedBy: string,
    requestId: string,
  ): Promise<RestoreRequest | undefined> {
    const row = await this.db<RestoreRow>(TABLE)
      .where({ requested_by: requestedBy, request_id: requestId })
      .first();
    return row && toRequest(row);
  }

  async listForEntity(
    entityRef: string,
    limit = 50,
  ): Promise<RestoreRequest[]> {
    const rows = await this.db<RestoreRow>(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy('requested_at', 'desc')
      .limit(limit);
    return rows.map(toRequest);
  }

  /** Failed or partially failed restores whose log Velero is preparing. */
  async listAwaitingLog(): Promise<RestoreRequest[]> {
    const rows = await this.db<RestoreRow>(TABLE)
      .whereIn('state', ['failed', 'partially-failed'])
      .where({ log_state: 'requested' });
    return rows.map(toRequest);
  }

  async setLog(
    id: string,
    state: NonNullable<RestoreRequest['logState']>,
    excerpt?: string,
  ): Promise<void> {
    await this.db<RestoreRow>(TABLE)
      .where({ id })
      .update({
        log_state: state,
        log_excerpt: excerpt ?? null,
        updated_at: new Date().toISOString(),
      });
  }

  /**
   * Starts a request that waited for approval, with its steps planned
   * again at approval time; false if it no longer waits (decided already).
   */
  async approve(
    id: string,
    approval: RestoreApproval,
    inPlace: InPlaceRestore,
    restoreManifest: unknown,
  ): Promise<boolean> {
    const count = await this.db<RestoreRow>(TABLE)
      .where({ id, state: 'awaiting-approval' })
      .update({
        state: 'in-progress',
        approval: JSON.stringify(approval),
        in_place: JSON.stringify(inPlace),
        restore_manifest: JSON.stringify(restoreManifest),
        updated_at: approval.decidedAt,
      });
    return count > 0;
  }

  /** Ends a request that waited for approval; false if it no longer waits. */
  async reject(id: string, approval: RestoreApproval): Promise<boolean> {
    const count = await this.db<RestoreRow>(TABLE)
      .where({ id, state: 'awaiting-approval' })
      .update({
        ...RELEASED,
        state: 'rejected',
        approval: JSON.stringify(approval),
        failure_reason: `Rejected by ${approval.decidedBy}: ${approval.reason}`,
        updated_at: approval.decidedAt,
      });
    return count > 0;
  }

  async listInProgress(): Promise<RestoreRequest[]> {
    const rows = await this.db<RestoreRow>(TABLE).where({
      state: 'in-progress',
    });
    return rows.map(toRequest);
  }

  /** Marks a request in progress as cancelled; false if it had ended. */
  async cancel(
    id: string,
    cancelledBy: string,
    reason: string,
  ): Promise<boolean> {
    const count = await this.db<RestoreRow>(TABLE)
      .where({ id, state: 'in-progress' })
      .update({
        ...RELEASED,
        state: 'cancelled',
        cancelled_by: cancelledBy,
        failure_reason: reason,
        updated_at: new Date().toISOString(),
      });
    return count > 0;
  }

  /**
   * Records progress. Returns false when nothing changed, so the tracker
   * announces only real changes. A finished request is never reopened, and
   * gives up its slots and target.
   */
  async update(id: string, update: RestoreProgressUpdate): Promise<boolean> {
    const values = {
      state: update.state,
      phase: update.phase ?? null,
      warnings: update.warnings ?? null,
      errors: update.errors ?? null,
      started_at: update.startedAt ?? null,
      completed_at: update.completedAt ?? null,
      failure_reason: update.failureReason ?? null,
      volume_progress: JSON.stringify(update.volumeProgress),
      ...(update.inPlace && { in_place: JSON.stringify(update.inPlace) }),
    };
    const current = await this.db<RestoreRow>(TABLE).where({ id }).first();
    if (!current || current.state !== 'in-progress') return false;
    const changed = (Object.keys(values) as Array<keyof typeof values>).some(
      key => (current[key] ?? null) !== values[key],
    );
    if (!changed) return false;
    const count = await this.db<RestoreRow>(TABLE)
      .where({ id, state: 'in-progress' })
      .update({
        ...values,
        ...(update.state !== 'in-progress' && RELEASED),
        updated_at: new Date().toISOString(),
      });
    return count > 0;
  }
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toRequest(row: RestoreRow): RestoreRequest {
  return {
    id: row.id,
    requestId: row.request_id,
    entityRef: row.entity_ref,
    cluster: row.cluster,
    backupName: row.backup_name,
    mode: row.mode as RestoreRequest['mode'],
    sourceNamespace: row.source_namespace,
    targetNamespace: row.target_namespace,
    volumes: parseJson<string[]>(row.volumes, []),
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    restoreName: row.restore_name,
    state: row.state as RestoreState,
    phase: row.phase ?? undefined,
    warnings: row.warnings ?? undefined,
    errors: row.errors ?? undefined,
    startedAt: row.started_at ?? undefined,
    completedAt: row.completed_at ?? undefined,
    failureReason: row.failure_reason ?? undefined,
    volumeProgress: parseJson<RestoreVolumeProgress[]>(row.volume_progress, []),
    logState: (row.log_state as RestoreRequest['logState']) ?? undefined,
    logExcerpt: row.log_excerpt ?? undefined,
    contents: parseJson<RestoreContents | undefined>(row.contents, undefined),
    cancelledBy: row.cancelled_by ?? undefined,
    inPlace: parseJson<InPlaceRestore | undefined>(row.in_place, undefined),
    approval: parseJson<RestoreApproval | undefined>(row.approval, undefined),
  };
}
