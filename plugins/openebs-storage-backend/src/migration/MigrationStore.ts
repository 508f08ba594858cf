import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ACTIVE_MIGRATION_STATES,
  RUNNING_MIGRATION_STATES,
  VolumeMigration,
} from '@openebs-portal/plugin-openebs-storage-common';
import { Knex } from 'knex';

const TABLE = 'volume_migrations';

const migrationsDir = resolvePackagePath(
  '@openebs-portal/plugin-openebs-storage-backend',
  'migrations',
);

interface MigrationRow {
  id: string;
  request_id: string;
  requested_by: string;
  entity_ref: string;
  state: string;
  active_key: string | null;
  body: string;
  updated_at: string;
}

const activeKey = (m: VolumeMigration) =>
  ACTIVE_MIGRATION_STATES.includes(m.state)
    ? `${m.cluster}/${m.namespace}/${m.claim}`
    : null;

/**
 * The record of every migration. One active migration per claim, held by a
 * unique index so that two backend instances cannot both start one.
 */
export class MigrationStore {
  static async create(database: DatabaseService): Promise<MigrationStore> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new MigrationStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Records a new migration. Returns `held` with the active migration of
   * the same claim when there is one, and the earlier migration when the
   * same user already sent this request id.
   */
  async insert(
    migration: VolumeMigration,
  ): Promise<
    | { status: 'created' | 'repeated'; migration: VolumeMigration }
    | { status: 'held'; migration: VolumeMigration }
  > {
    try {
      await this.db<MigrationRow>(TABLE).insert(this.row(migration));
      return { status: 'created', migration };
    } catch (error) {
      // A unique index refused it: a double submit, or the claim is held.
      const repeated = await this.findByRequestId(
        migration.requestedBy,
        migration.requestId,
      );
      if (repeated) return { status: 'repeated', migration: repeated };
      const active = await this.activeFor(migration);
      if (active) return { status: 'held', migration: active };
      throw error;
    }
  }

  async update(migration: VolumeMigration): Promise<void> {
    await this.db<MigrationRow>(TABLE)
      .where({ id: migration.id })
      .update(this.row(migration));
  }

  async get(id: string): Promise<VolumeMigration | undefined> {
    const row = await this.db<MigrationRow>(TABLE).where({ id }).first();
    return row && JSON.parse(row.body);
  }

  async findByRequestId(
    requestedBy: string,
    requestId: string,
  ): Promise<VolumeMigration | undefined> {
    const row = await this.db<MigrationRow>(TABLE)
      .where({ requested_by: requestedBy, request_id: requestId })
      .first();
    return row && JSON.parse(row.body);
  }

  async listForEntity(entityRef: string): Promise<VolumeMigration[]> {
    const rows = await this.db<MigrationRow>(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy('updated_at', 'desc')
      .limit(50);
    return rows.map(r => JSON.parse(r.body));
  }

  /** The migrations whose steps still run. */
  async listRunning(): Promise<VolumeMigration[]> {
    const rows = await this.db<MigrationRow>(TABLE).whereIn(
      'state',
      RUNNING_MIGRATION_STATES,
    );
    return rows.map(r => JSON.parse(r.body));
  }

  private async activeFor(
    migration: VolumeMigration,
  ): Promise<VolumeMigration | undefined> {
    const key = `${migration.cluster}/${migration.namespace}/${migration.claim}`;
    const row = await this.db<MigrationRow>(TABLE)
      .where({ active_key: key })
      .first();
    return row && JSON.parse(row.body);
  }

  private row(m: VolumeMigration) {
    return {
      id: m.id,
      request_id: m.requestId,
      requested_by: m.requestedBy,
      entity_ref: m.entityRef,
      state: m.state,
      active_key: activeKey(m),
      body: JSON.stringify(m),
      updated_at: m.updatedAt,
    };
  }
}
