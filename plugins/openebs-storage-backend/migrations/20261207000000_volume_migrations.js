// @ts-check

/**
 * Volume migrations onto OpenEBS: one row per request, its record kept as
 * JSON (its steps change as it runs). `active_key` (cluster/namespace/claim)
 * is set while the migration holds its claim and cleared when it ends: the
 * unique index refuses a second migration of the same claim, across
 * backend instances. `(requested_by, request_id)` makes a request
 * idempotent.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('volume_migrations', table => {
    table.comment(
      'Volume migrations onto OpenEBS requested on the Storage tab',
    );
    table.string('id').primary().notNullable();
    table.string('request_id').notNullable();
    table.string('requested_by').notNullable();
    table.string('entity_ref').notNullable().index();
    table.string('state').notNullable().index();
    table.string('active_key').nullable().unique();
    table.text('body').notNullable();
    table.string('updated_at').notNullable();
    table.unique(['requested_by', 'request_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('volume_migrations');
};
