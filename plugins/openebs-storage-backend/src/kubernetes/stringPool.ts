/**
 * One shared copy of each string the cache holds many times over: the
 * namespace of every object in it, phases, node and class names, label keys
 * and values, and the claim uids and backup names that every per-volume
 * Velero object repeats. Strings parsed from the API server's JSON are
 * separate copies even when equal, and they are most of the cache's heap.
 *
 * A full pool starts over: what was interned stays shared, later strings
 * get new copies. That bounds the pool when names churn (pods, backups).
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  constructor(private readonly capacity = 200_000) {}

  get size(): number {
    return this.strings.size;
  }

  intern<S extends string | undefined>(value: S): S {
    if (typeof value !== 'string') return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as S;
    if (this.strings.size >= this.capacity) this.strings.clear();
    this.strings.set(value, value);
    return value;
  }

  /** A copy of a label (or annotation) map with its keys and values interned. */
  labels(labels: Record<string, string> | undefined): Record<string, string> {
    const interned: Record<string, string> = {};
    for (const [key, value] of Object.entries(labels ?? {})) {
      interned[this.intern(key)] = this.intern(value);
    }
    return interned;
  }
}
