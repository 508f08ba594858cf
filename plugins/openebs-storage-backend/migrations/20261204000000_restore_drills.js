// @ts-check

/**
 * Restore drills and their evidence. A drill's row is written as it runs;
 * when it ends, its evidence is sealed: `seq` (1, 2, 3… across all drills,
 * unique) places it in one chain, `evidence` is the canonical JSON that was
 * hashed, and `hash` covers `prev_hash` (the previous record's) and it. An
 * edited row no longer hashes to `hash`; a removed one leaves a gap in `seq`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('restore_drills', table => {
    table.comment('Restore drills of the portal, and their sealed evidence');
    table.string('id').primary().notNullable();
    table.string('entity_ref').notNullable();
    table.string('cluster').notNullable();
    table.string('source_namespace').notNullable();
    table.string('scratch_namespace').notNullable();
    table.string('backup_name');
    table.string('restore_name');
    table.string('state').notNullable();
    table.string('started_by').notNullable();
    table.string('queued_at').notNullable();
    table.string('started_at');
    table.string('data_back_at');
    table.string('ready_at');
    table.string('finished_at');
    table.text('volumes').notNullable().comment('JSON array of DrillVolume');
    table.text('reason');
    table.string('cleaned_at');
    table.string('updated_at').notNullable();
    table.integer('seq').unique();
    table.text('evidence');
    table.string('prev_hash');
    table.string('hash');
    table.index(['entity_ref']);
    table.index(['state']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('restore_drills');
};
