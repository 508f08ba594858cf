import { Entity } from '@backstage/catalog-model';
import { drillVerdict } from './drillVerdict';
import { verificationOf } from './drillVerification';

const MiB = 1048576;
const equal = [{ claim: 'data', bytesBackedUp: MiB, bytesRestored: MiB }];

describe('drillVerdict', () => {
  it('passes on equal bytes and a verification that exited 0', () => {
    expect(
      drillVerdict(equal, {
        command: 'true',
        pod: 'db-0',
        passed: true,
        exitCode: 0,
      }),
    ).toEqual({
      state: 'passed',
      reason:
        "1 volume, 1 MiB restored, equal to what the backup holds; the entity's verification passed in db-0",
    });
  });

  it('fails on equal bytes when the verification fails, with its exit and last line', () => {
    expect(
      drillVerdict(equal, {
        command: 'sha256sum -c sums',
        pod: 'db-0',
        passed: false,
        exitCode: 1,
        output:
          './a: OK\n./b: FAILED\nsha256sum: WARNING: 1 of 2 computed checksums did NOT match\n',
      }),
    ).toEqual({
      state: 'failed',
      reason:
        "the entity's verification exited with 1 in db-0: sha256sum: WARNING: 1 of 2 computed checksums did NOT match",
    });
  });

  it('names both problems when bytes differ and the verification could not run', () => {
    expect(
      drillVerdict([{ ...equal[0], bytesRestored: 10 }], {
        command: 'true',
        pod: 'db-0',
        passed: false,
        output:
          'The verification could not run: Unexpected server response: 403',
      }).reason,
    ).toBe(
      "data: 10 bytes restored of 1048576 backed up; the entity's verification did not finish in db-0: The verification could not run: Unexpected server response: 403",
    );
  });
});

describe('drillVerdict and the counters', () => {
  it("passes a restore a few bytes short of the backup (Kopia's symlink accounting), and says so", () => {
    expect(
      drillVerdict([
        { claim: 'data', bytesBackedUp: MiB + 53, bytesRestored: MiB },
      ]),
    ).toEqual({
      state: 'passed',
      reason:
        "1 volume, 1 MiB restored, equal to what the backup holds (Velero's counters 53 bytes apart)",
    });
  });

  it('fails a restore short by more than the slack, or with more bytes than backed up', () => {
    expect(
      drillVerdict([
        { claim: 'data', bytesBackedUp: MiB + 4097, bytesRestored: MiB },
      ]).state,
    ).toBe('failed');
    expect(
      drillVerdict([
        { claim: 'data', bytesBackedUp: MiB, bytesRestored: MiB + 1 },
      ]).reason,
    ).toBe('data: 1048577 bytes restored of 1048576 backed up');
  });
});

describe('verificationOf', () => {
  const entity = (annotations: Record<string, string>): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'shop', annotations },
  });

  it('reads the command and the container from the annotations', () => {
    expect(verificationOf(entity({}))).toBeUndefined();
    expect(
      verificationOf(
        entity({
          'openebs.io/restore-drill-verify':
            ' psql -c "select count(*) from orders" ',
          'openebs.io/restore-drill-verify-container': 'postgres',
        }),
      ),
    ).toEqual({
      command: 'psql -c "select count(*) from orders"',
      container: 'postgres',
    });
  });

  it('refuses a command too long to be a check', () => {
    expect(() =>
      verificationOf(
        entity({ 'openebs.io/restore-drill-verify': 'x'.repeat(2001) }),
      ),
    ).toThrow('at most 2000 characters');
  });
});
