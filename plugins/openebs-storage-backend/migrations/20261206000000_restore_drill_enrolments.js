// @ts-check

/**
 * Drill enrolments made on the Storage tab by an entity's owners: the
 * cadence (`weekly`, `daily`, or `off` to stop what an annotation asks),
 * who set it and when. Without a row the entity's annotation decides.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('restore_drill_enrolments', table => {
    table.comment('Restore drill enrolments set on the Storage tab');
    table.string('entity_ref').primary().notNullable();
    table.string('cadence').notNullable();
    table.string('set_by').notNullable();
    table.string('set_at').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('restore_drill_enrolments');
};
