import {
  defaultTargetNamespace,
  namespaceNameProblem,
  newRequestId,
} from './restoreRules';

describe('defaultTargetNamespace', () => {
  const now = new Date('2026-11-17T09:05:00Z');

  it('names the namespace after the source and the time in UTC', () => {
    expect(defaultTargetNamespace('shop', now)).toBe(
      'shop-restore-20261117-0905',
    );
  });

  it('shortens a long source so the name stays a valid namespace', () => {
    const name = defaultTargetNamespace(
      `${'a'.repeat(40)}-${'b'.repeat(22)}`,
      now,
    );
    expect(name).toHaveLength(62);
    expect(name).toBe(`${'a'.repeat(40)}-restore-20261117-0905`);
    expect(namespaceNameProblem(name)).toBeUndefined();
  });
});

describe('newRequestId', () => {
  afterEach(() => jest.restoreAllMocks());

  it('makes a version 4 UUID even where crypto.randomUUID is missing (plain HTTP)', () => {
    const randomUUID = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', {
      value: undefined,
      configurable: true,
    });
    try {
      const ids = new Set([newRequestId(), newRequestId()]);
      expect(ids.size).toBe(2);
      for (const id of ids) {
        expect(id).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
      }
    } finally {
      Object.defineProperty(crypto, 'randomUUID', {
        value: randomUUID,
        configurable: true,
      });
    }
  });
});
