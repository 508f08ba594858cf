import { IndexedStore } from './IndexedStore';

interface Item {
  uid: string;
  namespace: string;
  name: string;
  claims: string[];
}

const item = (
  uid: string,
  namespace: string,
  name: string,
  claims: string[] = [],
): Item => ({ uid, namespace, name, claims });

/** The same indexes as the pods kind: one key, several keys, or none. */
function podLikeStore() {
  return new IndexedStore<Item>({
    namespace: i => [i.namespace],
    claim: i => i.claims.map(c => `${i.namespace}/${c}`),
  });
}

const uids = (items: Item[]) => items.map(i => i.uid).sort();

describe('IndexedStore', () => {
  it('finds upserted objects by id and by each index key', () => {
    const store = podLikeStore();
    store.upsert('a', item('a', 'shop', 'db-0', ['data-0', 'logs-0']));
    store.upsert('b', item('b', 'shop', 'db-1', ['data-1']));
    store.upsert('c', item('c', 'bank', 'web', []));

    expect(store.size).toBe(3);
    expect(store.get('b')?.name).toBe('db-1');
    expect(store.get('nope')).toBeUndefined();
    expect(uids(store.byIndex('namespace', 'shop'))).toEqual(['a', 'b']);
    expect(uids(store.byIndex('namespace', 'bank'))).toEqual(['c']);
    expect(uids(store.byIndex('claim', 'shop/data-0'))).toEqual(['a']);
    expect(uids(store.byIndex('claim', 'shop/logs-0'))).toEqual(['a']);
    expect(uids(store.byIndex('claim', 'shop/data-1'))).toEqual(['b']);
  });

  it('moves an object between index keys when its indexed value changes', () => {
    const store = podLikeStore();
    store.upsert('a', item('a', 'shop', 'db-0', ['data-0', 'logs-0']));
    store.upsert('b', item('b', 'shop', 'db-1', ['data-0']));

    store.upsert('a', item('a', 'bank', 'db-0', ['data-9']));

    expect(store.size).toBe(2);
    expect(uids(store.byIndex('namespace', 'shop'))).toEqual(['b']);
    expect(uids(store.byIndex('namespace', 'bank'))).toEqual(['a']);
    // The old keys keep only the objects that still have them.
    expect(uids(store.byIndex('claim', 'shop/data-0'))).toEqual(['b']);
    expect(store.byIndex('claim', 'shop/logs-0')).toEqual([]);
    expect(uids(store.byIndex('claim', 'bank/data-9'))).toEqual(['a']);
    // The index returns the new version of the object, not the old one.
    expect(store.byIndex('namespace', 'bank')[0].claims).toEqual(['data-9']);
  });

  it('upserting the same object twice keeps one entry per key', () => {
    const store = podLikeStore();
    const a = item('a', 'shop', 'db-0', ['data-0']);
    store.upsert('a', a);
    store.upsert('a', { ...a });
    expect(store.size).toBe(1);
    expect(store.byIndex('namespace', 'shop')).toHaveLength(1);
    expect(store.byIndex('claim', 'shop/data-0')).toHaveLength(1);
  });

  it('keeps a key right as it goes from one object to several and back', () => {
    const store = podLikeStore();
    store.upsert('a', item('a', 'shop', 'db-0', ['data']));
    store.upsert('b', item('b', 'shop', 'db-1', ['data']));
    store.upsert('c', item('c', 'shop', 'db-2', ['data']));
    expect(uids(store.byIndex('claim', 'shop/data'))).toEqual(['a', 'b', 'c']);

    store.remove('b');
    store.remove('a');
    expect(uids(store.byIndex('claim', 'shop/data'))).toEqual(['c']);
    // Down to one object and up again: no entry lost or kept twice.
    store.upsert('d', item('d', 'shop', 'db-3', ['data']));
    expect(uids(store.byIndex('claim', 'shop/data'))).toEqual(['c', 'd']);
    store.remove('c');
    store.remove('d');
    expect(store.byIndex('claim', 'shop/data')).toEqual([]);
    expect(store.byIndex('namespace', 'shop')).toEqual([]);
  });

  it('holds an object once under a key its indexer returns twice', () => {
    // A pod may mount the same claim through two of its volumes.
    const store = podLikeStore();
    store.upsert('a', item('a', 'shop', 'db-0', ['data', 'data']));
    store.upsert('b', item('b', 'shop', 'db-1', ['data', 'data']));
    expect(uids(store.byIndex('claim', 'shop/data'))).toEqual(['a', 'b']);
    store.remove('a');
    expect(uids(store.byIndex('claim', 'shop/data'))).toEqual(['b']);
    store.remove('b');
    expect(store.byIndex('claim', 'shop/data')).toEqual([]);
  });

  it('removes a deleted object from every index', () => {
    const store = podLikeStore();
    store.upsert('a', item('a', 'shop', 'db-0', ['data-0']));
    store.upsert('b', item('b', 'shop', 'db-1', ['data-0']));

    store.remove('a');

    expect(store.size).toBe(1);
    expect(store.get('a')).toBeUndefined();
    expect(uids(store.byIndex('namespace', 'shop'))).toEqual(['b']);
    expect(uids(store.byIndex('claim', 'shop/data-0'))).toEqual(['b']);

    store.remove('b');
    expect(store.size).toBe(0);
    expect(store.byIndex('namespace', 'shop')).toEqual([]);
    expect(store.byIndex('claim', 'shop/data-0')).toEqual([]);
  });

  it('ignores the removal of an unknown id', () => {
    const store = podLikeStore();
    store.upsert('a', item('a', 'shop', 'db-0'));
    expect(() => store.remove('nope')).not.toThrow();
    expect(store.size).toBe(1);
    expect(uids(store.byIndex('namespace', 'shop'))).toEqual(['a']);
  });

  it('replaceAll (a relist) drops the objects the new list no longer has', () => {
    const store = podLikeStore();
    store.upsert('a', item('a', 'shop', 'db-0', ['data-0']));
    store.upsert('b', item('b', 'shop', 'db-1', ['data-1']));
    store.upsert('c', item('c', 'bank', 'web', ['www']));

    store.replaceAll([
      ['b', item('b', 'bank', 'db-1', ['data-1'])],
      ['d', item('d', 'shop', 'db-2', ['data-2'])],
    ]);

    expect(store.size).toBe(2);
    expect(store.get('a')).toBeUndefined();
    expect(store.get('c')).toBeUndefined();
    expect(uids(store.byIndex('namespace', 'shop'))).toEqual(['d']);
    expect(uids(store.byIndex('namespace', 'bank'))).toEqual(['b']);
    expect(store.byIndex('claim', 'shop/data-0')).toEqual([]);
    expect(store.byIndex('claim', 'shop/data-1')).toEqual([]);
    expect(store.byIndex('claim', 'bank/www')).toEqual([]);
    expect(uids(store.byIndex('claim', 'bank/data-1'))).toEqual(['b']);
    expect(uids(store.byIndex('claim', 'shop/data-2'))).toEqual(['d']);

    store.replaceAll([]);
    expect(store.size).toBe(0);
    expect(Array.from(store.values())).toEqual([]);
    expect(store.byIndex('namespace', 'bank')).toEqual([]);
  });

  it('answers an unknown key with no objects, and an unknown index with an error', () => {
    const store = podLikeStore();
    store.upsert('a', item('a', 'shop', 'db-0'));
    expect(store.byIndex('namespace', 'nowhere')).toEqual([]);
    expect(store.byIndex('claim', '')).toEqual([]);
    expect(() => store.byIndex('colour', 'shop')).toThrow(
      'Unknown index colour',
    );
  });

  it('returns a copy from byIndex, so callers cannot corrupt the index', () => {
    const store = podLikeStore();
    store.upsert('a', item('a', 'shop', 'db-0'));
    const found = store.byIndex('namespace', 'shop');
    found.pop();
    expect(store.byIndex('namespace', 'shop')).toHaveLength(1);
  });

  it('lists every current object through values()', () => {
    const store = podLikeStore();
    expect(Array.from(store.values())).toEqual([]);
    store.upsert('a', item('a', 'shop', 'db-0'));
    store.upsert('b', item('b', 'shop', 'db-1'));
    store.upsert('a', item('a', 'shop', 'db-0-renamed'));
    store.remove('b');
    store.upsert('c', item('c', 'bank', 'web'));
    expect(
      Array.from(store.values())
        .map(i => i.name)
        .sort(),
    ).toEqual(['db-0-renamed', 'web']);
  });

  it('works without indexes', () => {
    const store = new IndexedStore<Item>();
    store.upsert('a', item('a', 'shop', 'db-0'));
    store.replaceAll([['b', item('b', 'shop', 'db-1')]]);
    expect(store.size).toBe(1);
    expect(store.get('b')?.name).toBe('db-1');
    expect(() => store.byIndex('namespace', 'shop')).toThrow('Unknown index');
  });
});

describe('IndexedStore.version', () => {
  it('changes with every upsert, removal and replacement, and only then', () => {
    const store = new IndexedStore<{ name: string }>();
    const seen = [store.version];
    store.upsert('a', { name: 'a' });
    seen.push(store.version);
    store.remove('missing');
    expect(store.version).toBe(seen[1]);
    store.remove('a');
    seen.push(store.version);
    store.replaceAll([['b', { name: 'b' }]]);
    seen.push(store.version);
    expect(new Set(seen).size).toBe(4);
    store.get('b');
    expect(store.version).toBe(seen[3]);
  });
});
