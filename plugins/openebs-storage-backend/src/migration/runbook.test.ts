import fs from 'node:fs';
import path from 'node:path';
import { aVolumeMigration } from '../testUtils/volumeMigration';
import { MIGRATION_STEPS, ROLLBACK_STEPS, stepsOf } from './migrationSteps';
import {
  bindClaimByHand,
  renderMigrationRunbook,
  renderRunbookSteps,
} from './runbook';

/*
 * The runbook's table of steps is the portal's own text: this fails when
 * migrationSteps.ts changes and the table was not rendered again
 * (UPDATE_GOLDEN=1 writes it; prettier leaves the file alone).
 */

const STEPS = path.resolve(
  __dirname,
  '../../../../docs/runbooks/volume-migration.steps.md',
);

it('docs/runbooks/volume-migration.steps.md holds the steps as the portal words them', () => {
  const rendered = `${renderRunbookSteps()}\n`;
  if (process.env.UPDATE_GOLDEN) {
    fs.writeFileSync(STEPS, rendered);
    return;
  }
  expect(fs.readFileSync(STEPS, 'utf8')).toBe(rendered);
});

describe('renderMigrationRunbook', () => {
  const migration = aVolumeMigration({
    steps: stepsOf(MIGRATION_STEPS, aVolumeMigration()).map(step => ({
      ...step,
      state: 'done',
    })),
  });

  it('gives the commands back to the old volume with the real names', () => {
    const markdown = renderMigrationRunbook(migration, 300);
    expect(markdown).toContain(
      bindClaimByHand({
        namespace: 'legacy-uploads',
        claim: 'uploads',
        volume: 'pv-old',
      }),
    );
    expect(markdown).toContain('ns=legacy-uploads claim=uploads pv=pv-old');
    expect(markdown).toContain(
      'kubectl -n legacy-uploads scale deployment/uploads --replicas=2',
    );
    expect(markdown).toContain(
      'kubectl -n legacy-uploads get pvc,pod -l openebs-portal.dev/migration=m-1',
    );
    expect(markdown).toContain('| new | `pv-new` | openebs-localpv-hostpath |');
    expect(markdown).toContain(
      '```yaml\nspec:\n  storageClassName: openebs-localpv-hostpath\n  volumeName: pv-new\n```',
    );
  });

  it('shows each step as it stands, and the downtime against the limit', () => {
    expect(renderMigrationRunbook(migration, 300)).toContain(
      '| 2. `copy` | done | Create a claim on openebs-localpv-hostpath, copy uploads into it',
    );
    expect(renderMigrationRunbook(migration, 300)).toContain(
      '- Stopped for 34 s (limit 5 min).',
    );
    expect(
      renderMigrationRunbook({ ...migration, downtimeSeconds: 420 }, 300),
    ).toContain('- Stopped for 7 min (limit 5 min, over it).');
  });

  it('says what is not there yet, and a rollback once there is one', () => {
    const early = renderMigrationRunbook(
      {
        ...migration,
        state: 'in-progress',
        target: undefined,
        manifest: undefined,
        downtimeSeconds: undefined,
      },
      300,
    );
    expect(early).toContain(
      '| new | not made yet | openebs-localpv-hostpath |',
    );
    expect(early).toContain('- Copy: not done yet.');
    expect(early).not.toContain('## The rollback');
    expect(early).not.toContain('## In Git');
    // The new volume made, but the claim not bound to it: Git stays as it is.
    const notSwapped = renderMigrationRunbook(
      {
        ...migration,
        state: 'failed',
        steps: migration.steps.map(step =>
          step.name === 'swap-claim' ? { ...step, state: 'failed' } : step,
        ),
      },
      300,
    );
    expect(notSwapped).toContain('| new | `pv-new` |');
    expect(notSwapped).not.toContain('## In Git');
    const rolledBack = renderMigrationRunbook(
      {
        ...migration,
        state: 'rolled-back',
        rollbackSteps: stepsOf(ROLLBACK_STEPS, migration).map(step => ({
          ...step,
          state: 'done',
        })),
        rollbackVerified: migration.manifest,
        rollbackDowntimeSeconds: 20,
      },
      300,
    );
    expect(rolledBack).toContain('## The rollback');
    expect(rolledBack).toContain(
      "- Rollback: the old volume's manifest equals the copy's (`abc`); stopped for 20 s (limit 5 min).",
    );
    expect(rolledBack).toContain(
      'The claim is on its old class and volume again',
    );
    expect(rolledBack).toContain(
      '  storageClassName: lab-local-static\n  volumeName: pv-old\n',
    );
  });
});
