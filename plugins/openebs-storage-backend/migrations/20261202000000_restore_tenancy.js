// @ts-check

/**
 * Limits and holds of active restores, safe across backend instances: a
 * request in progress takes one of its entity's slots, one of its
 * requester's, and holds its target namespace. Unique indexes make two
 * instances unable to take the same slot; finishing a request clears its
 * slots and hold (NULLs never collide). Also what a restore brings back, and
 * who cancelled it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('restore_requests', table => {
    table
      .integer('entity_slot')
      .comment('Slot of the entity cap while in progress');
    table
      .integer('user_slot')
      .comment('Slot of the requester cap while in progress');
    table
      .string('target_hold')
      .comment('cluster/namespace held while in progress');
    table
      .text('contents')
      .comment('JSON RestoreContents: what the Restore brings back');
    table.string('cancelled_by');
    table.unique(['entity_ref', 'entity_slot'], {
      indexName: 'restore_requests_entity_slot',
    });
    table.unique(['requested_by', 'user_slot'], {
      indexName: 'restore_requests_user_slot',
    });
    table.unique(['target_hold'], {
      indexName: 'restore_requests_target_hold',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('restore_requests', table => {
    table.dropUnique(
      ['entity_ref', 'entity_slot'],
      'restore_requests_entity_slot',
    );
    table.dropUnique(
      ['requested_by', 'user_slot'],
      'restore_requests_user_slot',
    );
    table.dropUnique(['target_hold'], 'restore_requests_target_hold');
    table.dropColumn('entity_slot');
    table.dropColumn('user_slot');
    table.dropColumn('target_hold');
    table.dropColumn('contents');
    table.dropColumn('cancelled_by');
  });
};
