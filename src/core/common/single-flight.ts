/** A look-up older than this is not joined: a stuck query must not take every later request with it. */
const SHARE_MS = 1000;

/**
 * One load per key at a time: callers that ask for a key while it is being loaded share that
 * load's promise. When a hot cache entry expires under load, fifty concurrent requests then make
 * one database query, not fifty. A load running for more than a second is no longer joined (a
 * query on a connection that died silently can hang for minutes): later callers start their own.
 */
export class SingleFlight<K, V> {
  private readonly inFlight = new Map<K, { promise: Promise<V>; startedAt: number }>();

  run(key: K, load: () => Promise<V>, now = Date.now()): Promise<V> {
    const running = this.inFlight.get(key);
    if (running && now - running.startedAt < SHARE_MS) return running.promise;
    const entry = { promise: load(), startedAt: now };
    this.inFlight.set(key, entry);
    const forget = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    entry.promise.then(forget, forget);
    return entry.promise;
  }
}
