// @ts-check

/**
 * The Velero restore log of a failed or partially failed restore, fetched
 * through a DownloadRequest when the object store is reachable.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('restore_requests', table => {
    table
      .string('log_state')
      .comment('requested, fetched or unavailable; null while none was needed');
    table.text('log_excerpt').comment('The end of the Velero restore log');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('restore_requests', table => {
    table.dropColumn('log_state');
    table.dropColumn('log_excerpt');
  });
};
