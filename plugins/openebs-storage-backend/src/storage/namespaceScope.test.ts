import { namespaceInScope } from './namespaceScope';

describe('namespaceInScope', () => {
  it.each([
    [[], [], true],
    [['*'], [], true],
    [['shop'], [], true],
    [['other'], [], false],
    [['sh*'], [], true],
    [['*'], ['shop'], false],
    [['*'], ['s?op'], false],
    [['shop.v1'], [], false],
  ])(
    'included %j excluded %j → %s for "shop"',
    (included, excluded, expected) => {
      expect(namespaceInScope('shop', included, excluded)).toBe(expected);
    },
  );
});
