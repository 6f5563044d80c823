/**
 * Counts events per key in fixed windows (failed authentications per address, login attempts per
 * email), in bounded memory that a flood cannot turn into a reset.
 *
 * Windows sit in a Map in the order they started (a renewed window moves to the end), so expired
 * ones are dropped from the front. When the table is full of live windows, the oldest window that
 * is still below `keepAt` makes room: a key that reached its limit (a locked-out address or
 * account) is kept, so flooding with fresh keys never unlocks it. Only a table full of locked keys
 * (more than `capacity` lock-outs a window) evicts a locked one, oldest first.
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly capacity: number,
    private readonly keepAt: number,
  ) {}

  /** Events for `key` in its current window (0 when none or expired). */
  count(key: string, now = Date.now()): number {
    const window = this.windows.get(key);
    return window && now - window.start < this.windowMs ? window.count : 0;
  }

  /** Ms until `key`'s current window ends (0 when it has none). */
  msLeft(key: string, now = Date.now()): number {
    const window = this.windows.get(key);
    return window ? Math.max(0, window.start + this.windowMs - now) : 0;
  }

  /** Counts one event; returns the count in the current window, this one included. */
  hit(key: string, now = Date.now()): number {
    const window = this.windows.get(key);
    if (window && now - window.start < this.windowMs) return ++window.count;
    if (window) this.windows.delete(key);
    else this.makeRoom(now);
    this.windows.set(key, { start: now, count: 1 });
    return 1;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  get size(): number {
    return this.windows.size;
  }

  private makeRoom(now: number): void {
    for (const [key, window] of this.windows) {
      if (this.windows.size < this.capacity) return;
      if (now - window.start >= this.windowMs) this.windows.delete(key);
      else break;
    }
    if (this.windows.size < this.capacity) return;
    // Bounded work: look at the 64 oldest live windows for one that is not locked out.
    let scanned = 0;
    for (const [key, window] of this.windows) {
      if (window.count < this.keepAt || ++scanned >= 64) {
        this.windows.delete(key);
        return;
      }
    }
  }
}

/**
 * The unit an address is counted in: an IPv4 address, or an IPv6 /64 (one subscriber's network;
 * anyone holding one has 2^64 addresses, so counting single IPv6 addresses limits nothing).
 */
export function addressBucket(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...new Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
