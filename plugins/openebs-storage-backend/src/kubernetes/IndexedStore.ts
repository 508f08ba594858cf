/**
 * One index's entries under a key: the object itself while it is the only
 * one (most keys: names, uids), a Set once there are more. A Map per key
 * would cost over 100 bytes even for a single entry, at every key of every
 * index, which at 150,000 objects is most of the cache.
 */
type Bucket<T> = T | Set<T>;

/**
 * A map of objects by id with secondary indexes kept up to date on every
 * change, so that a request looks objects up by key instead of scanning.
 * Items are records (never Sets), each stored under one id.
 */
export class IndexedStore<T> {
  private readonly items = new Map<string, T>();
  private readonly indexes = new Map<string, Map<string, Bucket<T>>>();
  private changes = 0;

  constructor(
    private readonly indexers: Record<string, (item: T) => string[]> = {},
  ) {
    for (const name of Object.keys(indexers)) {
      this.indexes.set(name, new Map());
    }
  }

  get size(): number {
    return this.items.size;
  }

  /**
   * Changes with every upsert and removal: what a reader derived from the
   * store at one version still holds while the version is the same.
   */
  get version(): number {
    return this.changes;
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  values(): IterableIterator<T> {
    return this.items.values();
  }

  byIndex(index: string, key: string): T[] {
    const buckets = this.indexes.get(index);
    if (!buckets) {
      throw new Error(`Unknown index ${index}`);
    }
    const bucket = buckets.get(key);
    if (bucket === undefined) return [];
    return bucket instanceof Set ? Array.from(bucket) : [bucket];
  }

  upsert(id: string, item: T): void {
    this.remove(id);
    this.changes++;
    this.items.set(id, item);
    for (const [name, keysOf] of Object.entries(this.indexers)) {
      const buckets = this.indexes.get(name)!;
      for (const key of keysOf(item)) {
        const bucket = buckets.get(key);
        if (bucket === undefined) {
          buckets.set(key, item);
        } else if (bucket instanceof Set) {
          bucket.add(item);
        } else if (bucket !== item) {
          buckets.set(key, new Set([bucket, item]));
        }
      }
    }
  }

  remove(id: string): void {
    const previous = this.items.get(id);
    if (previous === undefined) {
      return;
    }
    this.changes++;
    this.items.delete(id);
    for (const [name, keysOf] of Object.entries(this.indexers)) {
      const buckets = this.indexes.get(name)!;
      for (const key of keysOf(previous)) {
        const bucket = buckets.get(key);
        if (bucket === previous) {
          buckets.delete(key);
        } else if (bucket instanceof Set) {
          bucket.delete(previous);
          if (bucket.size === 1) {
            buckets.set(key, bucket.values().next().value!);
          }
        }
      }
    }
  }

  replaceAll(entries: Iterable<[string, T]>): void {
    this.changes++;
    this.items.clear();
    for (const buckets of this.indexes.values()) {
      buckets.clear();
    }
    for (const [id, item] of entries) {
      this.upsert(id, item);
    }
  }
}
