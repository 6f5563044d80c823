import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** What our storages return: @nestjs/throttler's record plus the exact end of the window. */
export interface RateLimitRecord extends ThrottlerStorageRecord {
  /** Unix ms at which the current window ends (X-RateLimit-Reset). */
  resetAt: number;
}

/**
 * A ThrottlerStorage whose records also say when the window ends, plus `hit`: the same count,
 * but a plain value (no promise) whenever it is counted in this process, so RateLimitGuard adds
 * no promise to the hot path without Redis. `increment` (the throttler contract) wraps `hit`.
 */
export interface RateLimitStorage extends ThrottlerStorage {
  hit(key: string, ttl: number, limit: number): RateLimitRecord | Promise<RateLimitRecord>;
  /** What the window has spent so far, spending nothing (null: no window open). */
  peek(key: string): Promise<SpentSoFar | null>;
  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<RateLimitRecord>;
}

export interface SpentSoFar {
  count: number;
  /** Unix ms at which the window ends. */
  resetAt: number;
}

/** The one budget of a credential: RateLimitGuard and POST /keys/verify count the same key. */
export function budgetKey(budgetId: string, budget: { limit: number | null; windowSeconds: number }): string {
  // The window's length is part of the key: credentials that share a budget (a rotation chain, a
  // key's children) share a window only when they agree on its length, so a short window opened
  // by one can never reset another's. (A changed limit keeps counting in the same window.)
  return `rl:key:${budgetId}:${budget.windowSeconds}`;
}

/** Builds the record both storages return from a window's count and end. */
export function toRecord(totalHits: number, resetAt: number, limit: number, now: number): RateLimitRecord {
  const timeToExpire = Math.max(Math.ceil((resetAt - now) / 1000), 1);
  const isBlocked = totalHits > limit;
  return { totalHits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0, resetAt };
}

/**
 * Fixed windows in process memory: one map entry per key, O(1) a hit. Used alone without
 * REDIS_URL, and as the fallback while Redis is unreachable. (@nestjs/throttler's own
 * ThrottlerStorageService keeps one timestamp per hit and filters them on every request, which
 * costs O(limit) for a 10,000/hour budget.) A window never blocks longer than itself, and a
 * refused hit is not counted.
 */
@Injectable()
export class InMemoryRateLimitStorage implements RateLimitStorage {
  private windows = new Map<string, { count: number; resetAt: number }>();
  private sweepAt = 0;

  increment(key: string, ttl: number, limit: number): Promise<RateLimitRecord> {
    return Promise.resolve(this.hit(key, ttl, limit));
  }

  hit(key: string, ttl: number, limit: number, now = Date.now()): RateLimitRecord {
    if (now >= this.sweepAt) this.sweep(now);
    let entry = this.windows.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + ttl };
      this.windows.set(key, entry);
    }
    // A refused hit spends nothing (RedisRateLimitStorage says why).
    if (entry.count >= limit) return toRecord(entry.count + 1, entry.resetAt, limit, now);
    entry.count++;
    return toRecord(entry.count, entry.resetAt, limit, now);
  }

  peek(key: string, now = Date.now()): Promise<SpentSoFar | null> {
    const entry = this.windows.get(key);
    return Promise.resolve(
      entry && entry.resetAt > now ? { count: entry.count, resetAt: entry.resetAt } : null,
    );
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.windows) if (entry.resetAt <= now) this.windows.delete(key);
    this.sweepAt = now + 60_000;
  }
}
