import {
  labelSelectorFromObject,
  matchesLabels,
  parseLabelSelector,
} from './labelSelector';

describe('parseLabelSelector', () => {
  it.each([
    ['app=shop', { app: 'shop' }, true],
    ['app==shop', { app: 'other' }, false],
    ['app!=shop', { app: 'other' }, true],
    ['app!=shop', {}, true],
    ['tier in (db, cache),app', { tier: 'db', app: 'x' }, true],
    ['tier in (db, cache),app', { tier: 'web', app: 'x' }, false],
    ['tier notin (web)', { tier: 'db' }, true],
    ['!canary', { canary: 'true' }, false],
    [
      'backstage.io/kubernetes-id=shop',
      { 'backstage.io/kubernetes-id': 'shop' },
      true,
    ],
  ])('%s against %j is %s', (selector, labels, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it.each([
    'app in (unclosed',
    'app=sh op',
    '',
    'a=b,,=c',
    'in (x)',
    'tier in ()',
  ])('rejects %j with an InputError naming it', selector => {
    expect(() => parseLabelSelector(selector)).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
  });
});

describe('labelSelectorFromObject', () => {
  it('combines matchLabels and matchExpressions, and an empty one selects all', () => {
    const selector = labelSelectorFromObject({
      matchLabels: { app: 'shop' },
      matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }],
    });
    expect(matchesLabels(selector, { app: 'shop', tier: 'db' })).toBe(true);
    expect(matchesLabels(selector, { app: 'shop', tier: 'web' })).toBe(false);
    expect(matchesLabels(labelSelectorFromObject({}), {})).toBe(true);
  });
});
