import { Injectable } from '@nestjs/common';
import { TtlCache } from '../common/ttl-cache';
import { InjectConfig, KeygateConfig } from '../config/keygate.config';
import type { CachedCredential } from './cached-credential';

/**
 * In-process cache of verified credentials by public key id. Changes to a key invalidate its
 * entry at once on this instance; KEY_CACHE_TTL_SECONDS bounds how long any other instance can
 * serve a stale entry. Unknown key ids are not cached: a key created a moment ago must work.
 */
@Injectable()
export class KeyCache {
  private readonly cache: TtlCache<string, CachedCredential>;

  constructor(@InjectConfig() config: KeygateConfig) {
    this.cache = new TtlCache<string, CachedCredential>({
      max: config.keyCacheMaxEntries,
      ttl: Math.max(config.keyCacheTtlSeconds, 0) * 1000 || 1,
    });
  }

  get(keyId: string): CachedCredential | undefined {
    return this.cache.get(keyId);
  }

  set(credential: CachedCredential): void {
    this.cache.set(credential.keyId, credential);
  }

  /** Drops one key on this instance (InvalidationBus → CacheInvalidation calls it). */
  invalidateLocal(keyId: string): void {
    this.cache.delete(keyId);
  }

  /** Drops every entry matching (a user's tokens after a role change, a tenant's keys). */
  invalidateWhere(predicate: (credential: CachedCredential) => boolean): void {
    for (const [keyId, credential] of this.cache.entries()) {
      if (predicate(credential)) this.cache.delete(keyId);
    }
  }

  clear(): void {
    this.cache.clear();
  }
}
