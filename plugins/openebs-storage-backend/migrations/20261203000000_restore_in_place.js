// @ts-check

/**
 * In-place restores the portal leads step by step: the steps with their
 * states, the workloads' replicas and the claims' UIDs (`in_place`, JSON),
 * and the Restore the server built when the request was admitted
 * (`restore_manifest`, JSON), created only when the claims are gone.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('restore_requests', table => {
    table
      .text('in_place')
      .comment('JSON InPlaceRestore: steps and their state');
    table
      .text('restore_manifest')
      .comment('JSON Velero Restore created at the restore step');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('restore_requests', table => {
    table.dropColumn('in_place');
    table.dropColumn('restore_manifest');
  });
};
