import { DNS_SUBDOMAIN } from '../restore/restoreInput';
import { copyClaimName } from './MigrationService';

const ID = '0123abcd-0000-4000-8000-000000000000';

it.each([
  ['data-shop-db-0', 'data-shop-db-0-openebs-0123abcd'],
  // Cut at 40 characters right after a dot or a dash: trimmed.
  [`${'a'.repeat(39)}.b`, `${'a'.repeat(39)}-openebs-0123abcd`],
  [`${'a'.repeat(38)}--bc`, `${'a'.repeat(38)}-openebs-0123abcd`],
])('names the copy claim of %s validly', (claim, expected) => {
  const name = copyClaimName(claim, ID);
  expect(name).toBe(expected);
  expect(name).toMatch(DNS_SUBDOMAIN);
  expect(name.length).toBeLessThanOrEqual(63);
});
