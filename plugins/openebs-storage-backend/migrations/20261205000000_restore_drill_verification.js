// @ts-check

/**
 * The entity's verification of a drill's restored data: the command as
 * recorded when the drill was queued, and its exit code and output (JSON of
 * DrillVerification). Part of the sealed evidence; older records have none.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('restore_drills', table => {
    table.text('verification').comment('JSON of DrillVerification, if any');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('restore_drills', table => {
    table.dropColumn('verification');
  });
};
