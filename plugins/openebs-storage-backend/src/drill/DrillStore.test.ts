import { TestDatabases } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { DrillStore } from './DrillStore';
import { checkEvidenceChain } from './evidenceChain';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const KEY = 'test-evidence-key';

async function storeWithThreeDrills() {
  const knex = await databases.init('SQLITE_3');
  const store = await DrillStore.create(mockServices.database({ knex }), KEY);
  for (const [i, state] of (
    ['passed', 'failed', 'passed'] as const
  ).entries()) {
    const id = `drill-${i + 1}`;
    await store.insert({
      id,
      entityRef: 'component:default/shop',
      cluster: 'lab',
      sourceNamespace: 'shop',
      scratchNamespace: `shop-restore-drill-${i + 1}`,
      startedBy: 'schedule',
      queuedAt: `2026-12-0${i + 1}T02:00:00Z`,
    });
    await store.finish(id, {
      state,
      backupName: `daily-${i + 1}`,
      startedAt: `2026-12-0${i + 1}T02:00:05Z`,
      readyAt: `2026-12-0${i + 1}T02:01:05Z`,
      finishedAt: `2026-12-0${i + 1}T02:01:06Z`,
      volumes: [{ claim: 'data', bytesBackedUp: 1000, bytesRestored: 1000 }],
      reason: state === 'failed' ? 'bytes differ' : 'bytes equal',
    });
  }
  return { knex, store };
}

describe('DrillStore evidence', () => {
  it('seals each finished drill into one chain that verifies', async () => {
    const { store } = await storeWithThreeDrills();
    const records = await store.sealedRecords();
    expect(records.map(r => r.seq)).toEqual([1, 2, 3]);
    expect(records[1].prevHash).toBe(records[0].hash);
    expect(checkEvidenceChain(records, KEY)).toEqual({
      intact: true,
      records: 3,
      signed: true,
    });
    // Deleting the scratch namespace afterwards is bookkeeping, not evidence.
    await store.update('drill-2', { cleanedAt: '2026-12-02T02:02:00Z' });
    expect(checkEvidenceChain(await store.sealedRecords(), KEY).intact).toBe(
      true,
    );
  });

  it('detects a result edited in the table', async () => {
    const { knex, store } = await storeWithThreeDrills();
    await knex('restore_drills')
      .where({ id: 'drill-2' })
      .update({ state: 'passed' });
    expect(checkEvidenceChain(await store.sealedRecords(), KEY)).toMatchObject({
      intact: false,
      problem: 'record 2 (drill drill-2) was changed after it was sealed',
    });
  });

  it('detects evidence rewritten with a hash made without the key', async () => {
    const { knex, store } = await storeWithThreeDrills();
    const [, second] = await store.sealedRecords();
    const forged = second.evidence.replace('"failed"', '"passed"');
    await knex('restore_drills')
      .where({ id: 'drill-2' })
      .update({
        state: 'passed',
        evidence: forged,
        // Recomputed as someone without the key would: a plain SHA-256.
        hash: require('crypto')
          .createHash('sha256')
          .update(second.prevHash)
          .update('\n')
          .update(forged)
          .digest('hex'),
      });
    expect(checkEvidenceChain(await store.sealedRecords(), KEY)).toMatchObject({
      intact: false,
      problem: 'record 2 (drill drill-2) was changed after it was sealed',
    });
  });

  it('detects a removed record', async () => {
    const { knex, store } = await storeWithThreeDrills();
    await knex('restore_drills').where({ id: 'drill-2' }).delete();
    expect(checkEvidenceChain(await store.sealedRecords(), KEY)).toMatchObject({
      intact: false,
      problem: 'record 2 is missing (the next is 3): evidence was removed',
    });
  });

  it('says when the chain is not signed (no key configured)', async () => {
    const { store } = await storeWithThreeDrills();
    // Checked with no key: the HMACs do not verify as plain hashes.
    expect(
      checkEvidenceChain(await store.sealedRecords(), undefined),
    ).toMatchObject({ intact: false, signed: false });
  });
});
