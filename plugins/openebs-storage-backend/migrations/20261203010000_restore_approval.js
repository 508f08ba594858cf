// @ts-check

/**
 * In-place requests that wait for a platform admin's approval: the
 * decision (JSON RestoreApproval) once made.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('restore_requests', table => {
    table.text('approval').comment('JSON RestoreApproval: who decided, how');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('restore_requests', table => {
    table.dropColumn('approval');
  });
};
