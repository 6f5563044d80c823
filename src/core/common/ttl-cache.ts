/**
 * The in-process caches of the hot path (keys, tenants, workspaces, permissions): a Map with a
 * time to live per entry and a bound on its size.
 *
 * Eviction past `max` drops the oldest insertion rather than the least recently read: with a TTL
 * the oldest insertion is also the next to expire, and a read then costs one Map look-up and one
 * clock read, with no recency bookkeeping. (lru-cache did this before; its reads measured ~3 µs a
 * request in `npm run bench`, for two or three look-ups per request.)
 */
export class TtlCache<K, V> {
  private readonly entries_ = new Map<K, { value: V; expiresAt: number }>();
  private readonly max: number;
  private readonly ttl: number;

  constructor(options: { max: number; ttl: number }) {
    this.max = Math.max(options.max, 1);
    this.ttl = options.ttl;
  }

  get(key: K, now = Date.now()): V | undefined {
    const entry = this.entries_.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.entries_.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** `ttl` (ms) overrides the cache's own for this entry. */
  set(key: K, value: V, options?: { ttl?: number }, now = Date.now()): void {
    // Delete first so that a refreshed key moves to the young end of the insertion order.
    this.entries_.delete(key);
    this.entries_.set(key, { value, expiresAt: now + (options?.ttl ?? this.ttl) });
    if (this.entries_.size > this.max) this.entries_.delete(this.entries_.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries_.delete(key);
  }

  clear(): void {
    this.entries_.clear();
  }

  get size(): number {
    return this.entries_.size;
  }

  keys(): K[] {
    return [...this.entries_.keys()];
  }

  /** Live entries, as a copy: callers may delete while iterating. */
  entries(now = Date.now()): Array<[K, V]> {
    const live: Array<[K, V]> = [];
    for (const [key, entry] of this.entries_) if (entry.expiresAt > now) live.push([key, entry.value]);
    return live;
  }
}
