import { veleroLabelValue } from './velero';

describe('veleroLabelValue', () => {
  it('keeps names of up to 63 characters', () => {
    const name = 'a'.repeat(63);
    expect(veleroLabelValue(name)).toBe(name);
  });

  it('shortens longer names to 57 characters and 6 hex digits of their SHA-256, as Velero does', () => {
    const name =
      'daily-backup-of-the-shop-database-before-the-migration-to-openebs';
    expect(name.length).toBe(65);
    const value = veleroLabelValue(name);
    // Expected value from `sha256sum`, independently of this implementation.
    expect(value).toBe(
      'daily-backup-of-the-shop-database-before-the-migration-to4f462b',
    );
    expect(veleroLabelValue(`${name}x`)).not.toBe(value);
  });
});
