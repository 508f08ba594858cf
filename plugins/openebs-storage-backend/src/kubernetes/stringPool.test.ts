import { StringPool } from './stringPool';

describe('StringPool', () => {
  it('holds each distinct string once', () => {
    // Which copy comes back cannot be observed in JavaScript (equal strings
    // are identical to it); the benchmark measures the heap it saves.
    const pool = new StringPool();
    for (const value of JSON.parse('["shop", "shop", "bank", "shop"]')) {
      expect(pool.intern(value)).toBe(value);
    }
    expect(pool.size).toBe(2);
  });

  it('passes undefined (and anything not a string) through', () => {
    const pool = new StringPool();
    expect(pool.intern(undefined)).toBeUndefined();
    expect(pool.intern(7 as unknown as string)).toBe(7);
    expect(pool.size).toBe(0);
  });

  it('starts over when full, and still returns equal strings', () => {
    const pool = new StringPool(2);
    pool.intern('a');
    pool.intern('b');
    expect(pool.size).toBe(2);
    expect(pool.intern('c')).toBe('c');
    expect(pool.size).toBe(1);
    expect(pool.intern('a')).toBe('a');
  });

  it('copies a label map with the same keys and values', () => {
    const pool = new StringPool();
    const labels = { app: 'shop', 'backstage.io/kubernetes-id': 'shop' };
    const interned = pool.labels(labels);
    expect(interned).toEqual(labels);
    expect(interned).not.toBe(labels);
    expect(pool.labels(undefined)).toEqual({});
    // app, backstage.io/kubernetes-id and one "shop".
    expect(pool.size).toBe(3);
  });
});
