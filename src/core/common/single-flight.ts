/**
 * One load per key at a time: callers that ask for a key while it is being loaded share that
 * load's promise. When a hot cache entry expires under load, fifty concurrent requests then make
 * one database query, not fifty.
 */
export class SingleFlight<K, V> {
  private readonly inFlight = new Map<K, Promise<V>>();

  run(key: K, load: () => Promise<V>): Promise<V> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
