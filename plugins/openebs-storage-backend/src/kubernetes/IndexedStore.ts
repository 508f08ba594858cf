/**
 * A map of objects by id with secondary indexes kept up to date on every
 * change, so that a request looks objects up by key instead of scanning.
 */
export class IndexedStore<T> {
  private readonly items = new Map<string, T>();
  private readonly buckets = new Map<string, Map<string, Map<string, T>>>();

  constructor(
    private readonly indexers: Record<string, (item: T) => string[]> = {},
  ) {
    for (const name of Object.keys(indexers)) {
      this.buckets.set(name, new Map());
    }
  }

  get size(): number {
    return this.items.size;
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  values(): IterableIterator<T> {
    return this.items.values();
  }

  byIndex(index: string, key: string): T[] {
    const bucket = this.buckets.get(index);
    if (!bucket) {
      throw new Error(`Unknown index ${index}`);
    }
    const matches = bucket.get(key);
    return matches ? Array.from(matches.values()) : [];
  }

  upsert(id: string, item: T): void {
    this.remove(id);
    this.items.set(id, item);
    for (const [name, keysOf] of Object.entries(this.indexers)) {
      const bucket = this.buckets.get(name)!;
      for (const key of keysOf(item)) {
        let matches = bucket.get(key);
        if (!matches) {
          matches = new Map();
          bucket.set(key, matches);
        }
        matches.set(id, item);
      }
    }
  }

  remove(id: string): void {
    const previous = this.items.get(id);
    if (previous === undefined) {
      return;
    }
    this.items.delete(id);
    for (const [name, keysOf] of Object.entries(this.indexers)) {
      const bucket = this.buckets.get(name)!;
      for (const key of keysOf(previous)) {
        const matches = bucket.get(key);
        matches?.delete(id);
        if (matches?.size === 0) {
          bucket.delete(key);
        }
      }
    }
  }

  replaceAll(entries: Iterable<[string, T]>): void {
    this.items.clear();
    for (const bucket of this.buckets.values()) {
      bucket.clear();
    }
    for (const [id, item] of entries) {
      this.upsert(id, item);
    }
  }
}
