import { Injectable } from '@nestjs/common';

export interface RateLimitHit {
  count: number;
  /** Unix ms at which the current window ends. */
  resetAt: number;
}

/**
 * Counts hits per key in fixed windows. This in-process store serves one instance; a shared
 * store (Redis) implements the same interface for many.
 */
export interface RateLimitStore {
  hit(key: string, windowMs: number, now: number): Promise<RateLimitHit> | RateLimitHit;
}
export const RateLimitStore = Symbol('RateLimitStore');

@Injectable()
export class InMemoryRateLimitStore implements RateLimitStore {
  private windows = new Map<string, RateLimitHit>();
  private sweepAt = 0;

  hit(key: string, windowMs: number, now: number): RateLimitHit {
    if (now >= this.sweepAt) this.sweep(now);
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const entryKey = `${key}:${windowMs}`;
    let entry = this.windows.get(entryKey);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: windowStart + windowMs };
      this.windows.set(entryKey, entry);
    }
    entry.count++;
    return entry;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.windows) if (entry.resetAt <= now) this.windows.delete(key);
    this.sweepAt = now + 60_000;
  }
}
