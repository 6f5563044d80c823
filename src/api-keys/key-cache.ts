import { Injectable, OnModuleInit } from '@nestjs/common';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { TtlCache } from '../core/common/ttl-cache';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import type { CachedCredential } from './cached-credential';
import { ChangeLog, EVERYTHING } from '../core/common/change-log';

/** The change scopes a cached credential belongs to (see ChangeLog). */
export function changeScopes(row: { keyId: string; userId: string | null; tenantId: string }): string[] {
  return [`key:${row.keyId}`, `user:${row.userId}`, `tenant:${row.tenantId}`];
}

/**
 * In-process cache of verified credentials by public key id. Changes to a key invalidate its
 * entry at once on this instance; KEY_CACHE_TTL_SECONDS bounds how long any other instance can
 * serve a stale entry. Unknown key ids are not cached: a key created a moment ago must work.
 */
@Injectable()
export class KeyCache implements OnModuleInit {
  private readonly cache: TtlCache<string, CachedCredential>;
  /**
   * Every invalidation, by what it touched. A load that began before one touching its row may
   * have read the row as it was: it must not be cached (CredentialVerifier checks this before
   * `set`), nor shared with requests that arrive after the change.
   */
  readonly changes = new ChangeLog();

  constructor(
    private readonly bus: InvalidationBus,
    @InjectConfig() config: KeygateConfig,
  ) {
    this.cache = new TtlCache<string, CachedCredential>({
      max: config.keyCacheMaxEntries,
      ttl: Math.max(config.keyCacheTtlSeconds, 0) * 1000 || 1,
    });
  }

  /**
   * What empties it: a key's own change; a user's change (their tokens' cached abilities and
   * status); a tenant's (suspension); a Redis reconnect, after which events may have been missed.
   */
  onModuleInit(): void {
    this.bus.subscribe((event) => {
      if (event.type === 'key') this.invalidateLocal(event.keyId);
      else if (event.type === 'user') {
        this.changes.record(`user:${event.userId}`);
        this.invalidateWhere((c) => c.userId === event.userId);
      } else if (event.type === 'tenant') {
        this.changes.record(`tenant:${event.tenantId}`);
        this.invalidateWhere((c) => c.tenantId === event.tenantId);
      } else if (event.type === 'resync') this.clear();
    });
  }

  get(keyId: string): CachedCredential | undefined {
    return this.cache.get(keyId);
  }

  set(credential: CachedCredential): void {
    this.cache.set(credential.keyId, credential);
  }

  /** Drops one key on this instance. */
  invalidateLocal(keyId: string): void {
    this.changes.record(`key:${keyId}`);
    this.cache.delete(keyId);
  }

  /** Drops every entry matching (a user's tokens after a role change, a tenant's keys). */
  invalidateWhere(predicate: (credential: CachedCredential) => boolean): void {
    for (const [keyId, credential] of this.cache.entries()) {
      if (predicate(credential)) this.cache.delete(keyId);
    }
  }

  clear(): void {
    this.changes.record(EVERYTHING);
    this.cache.clear();
  }
}
