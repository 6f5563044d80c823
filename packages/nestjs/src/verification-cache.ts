import { createHmac, randomBytes } from 'node:crypto';

/**
 * Answers of Keygate by presented key, for a short time. Entries are keyed by an HMAC of the key
 * (with a secret made at start): the plaintext is never a map key, so a heap dump or a debugger
 * listing the cache shows no usable key. Insertion order is age order: the oldest goes first.
 */
export class VerificationCache<T> {
  private readonly secret = randomBytes(32);
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  digest(...parts: string[]): string {
    return createHmac('sha256', this.secret).update(parts.join('\0')).digest('base64url');
  }

  get(digest: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(digest);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(digest);
      return undefined;
    }
    return entry.value;
  }

  set(digest: string, value: T, ttlMs = this.ttlMs, now = Date.now()): void {
    if (ttlMs <= 0) return;
    this.entries.delete(digest);
    this.entries.set(digest, { value, until: now + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
