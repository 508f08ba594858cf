import { readStorageConfig } from '../config';
import { ConfigReader } from '@backstage/config';
import { RestoreRequest } from '@openebs-portal/plugin-openebs-storage-common';
import { admitRestore } from './restoreAdmission';
import { checkTargetName, checkTargetOwner } from './restoreTarget';

const { tenancy } = readStorageConfig(
  new ConfigReader({
    openebsStorage: { tenancy: { portalNamespace: 'backstage' } },
  }),
);

describe('target namespace rules', () => {
  it.each([
    ['kube-foo', 'reserved (kube-*)'],
    ['velero', 'reserved (velero)'],
    ['backstage', 'reserved (backstage)'],
    ['flux-system', 'reserved'],
    ['openebs', 'reserved'],
    ['default', 'reserved'],
  ])('refuses the reserved %s', (target, message) => {
    expect(() => checkTargetName(tenancy, 'shop', target)).toThrow(message);
  });

  it.each(['shop-copy', 'bank-restore-1', 'shop-restore', 'shop-restored'])(
    'refuses %s, outside the naming rule',
    target => {
      expect(() => checkTargetName(tenancy, 'shop', target)).toThrow(
        'naming rule for restores of shop: use shop-restore-*',
      );
    },
  );

  it('accepts a name that follows the rule', () => {
    expect(() =>
      checkTargetName(tenancy, 'shop', 'shop-restore-20261202'),
    ).not.toThrow();
  });

  it('takes an existing target only when it is recorded as the same owner', () => {
    const shop = 'group:default/team-shop';
    expect(() => checkTargetOwner('t', true, shop, shop)).not.toThrow();
    expect(() =>
      checkTargetOwner('t', true, 'group:default/bank', shop),
    ).toThrow('already exists');
    expect(() => checkTargetOwner('t', true, undefined, shop)).toThrow(
      'already exists',
    );
    // Nothing recorded on either side is no proof of the same owner.
    expect(() => checkTargetOwner('t', true, undefined, undefined)).toThrow(
      'already exists',
    );
  });

  it('takes a new target unless it is recorded as another owner', () => {
    const shop = 'group:default/team-shop';
    expect(() => checkTargetOwner('t', false, undefined, shop)).not.toThrow();
    expect(() => checkTargetOwner('t', false, shop, shop)).not.toThrow();
    expect(() =>
      checkTargetOwner('t', false, 'group:default/bank', shop),
    ).toThrow("recorded as group:default/bank's");
  });
});

describe('admitRestore', () => {
  const limits = { activePerEntity: 1, activePerUser: 2 };
  const active = (name: string) =>
    ({
      restoreName: name,
      sourceNamespace: 'shop',
      targetNamespace: 'x',
      requestedBy: 'user:default/a',
    } as RestoreRequest);
  const base = {
    limits,
    entityRef: 'component:default/shop',
    requestedBy: 'user:default/a',
    cluster: 'lab',
    targetNamespace: 'shop-restore-1',
  };
  const none = { ofEntity: [], entitySlots: [], ofUser: [], userSlots: [] };

  it('takes the first free slots and holds the target', () => {
    expect(
      admitRestore({
        ...base,
        holders: { ...none, ofUser: [active('r1')], userSlots: [0] },
      }),
    ).toEqual({
      entitySlot: 0,
      userSlot: 1,
      target: 'lab/shop-restore-1',
    });
  });

  it('refuses over the entity cap with 429 and names what holds it', () => {
    const call = () =>
      admitRestore({
        ...base,
        holders: { ...none, ofEntity: [active('r1')], entitySlots: [0] },
      });
    expect(call).toThrow(
      expect.objectContaining({
        statusCode: 429,
        name: 'TooManyRequestsError',
      }),
    );
    expect(call).toThrow('the most allowed per entity (1): r1');
  });

  it('refuses over the user cap', () => {
    expect(() =>
      admitRestore({
        ...base,
        holders: {
          ...none,
          ofUser: [active('r1'), active('r2')],
          userSlots: [1, 0],
        },
      }),
    ).toThrow('the most allowed per user (2)');
  });

  it('refuses a target another request holds', () => {
    expect(() =>
      admitRestore({ ...base, holders: { ...none, ofTarget: active('r9') } }),
    ).toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message: expect.stringContaining('target of restore r9'),
      }),
    );
  });
});
