import fs from 'node:fs';
import path from 'node:path';
import { renderRunbookSteps } from './runbook';

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
