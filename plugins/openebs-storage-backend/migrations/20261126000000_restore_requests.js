// @ts-check

/**
 * Restore requests: what a user asked for, the Restore the backend created
 * for it, and how it went. One row per request; `request_id` is the client's
 * idempotency key, unique per requester, so a retried submit finds its row.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('restore_requests', table => {
    table.comment('Self-service Velero restore requests from the portal');
    table.string('id').primary().notNullable();
    table.string('request_id').notNullable();
    table.string('requested_by').notNullable();
    table.string('entity_ref').notNullable();
    table.string('cluster').notNullable();
    table.string('backup_name').notNullable();
    table.string('mode').notNullable();
    table.string('source_namespace').notNullable();
    table.string('target_namespace').notNullable();
    table.text('volumes').notNullable().comment('JSON array of claim names');
    table.string('restore_name').notNullable();
    table.string('state').notNullable();
    table.string('phase');
    table.integer('warnings');
    table.integer('errors');
    table.string('started_at');
    table.string('completed_at');
    table.text('failure_reason');
    table
      .text('volume_progress')
      .comment('JSON array of RestoreVolumeProgress');
    table.string('requested_at').notNullable();
    table.string('updated_at').notNullable();
    table.unique(['requested_by', 'request_id']);
    table.index(['entity_ref']);
    table.index(['state']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('restore_requests');
};
