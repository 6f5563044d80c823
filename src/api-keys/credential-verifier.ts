import { Injectable } from '@nestjs/common';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { resolveBudget, type RateLimitBudget } from '../core/config/rate-limit-tiers';
import { ApiKey } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { CachedCredential, cachedCredentialOf, credentialStatus } from './cached-credential';
import { changeScopes, KeyCache } from './key-cache';
import { keyPrefix, ParsedKey, parseKey } from './key-format';
import { KeyHasher } from './key-hasher';
import { KeyIdRecognizer } from './key-id-recognizer';
import { TtlCache } from '../core/common/ttl-cache';
import { SingleFlight } from '../core/common/single-flight';
import { Metrics } from '../core/metrics/metrics';
import { LegacyVerifier } from './legacy/legacy-verifier';
import { VerifiedKeyTags } from './verified-key-tags';
import type { RequestContext } from '../core/context/request-context';

export type VerifyFailure = 'malformed' | 'not_found' | 'wrong_secret' | 'expired' | 'revoked';
export type VerifyResult =
  | { ok: true; credential: CachedCredential; parsed: ParsedKey }
  | { ok: false; reason: VerifyFailure; credential?: CachedCredential; parsed?: ParsedKey };

/** A 32-byte hash no key matches: unknown ids cost the same one HMAC as a wrong secret. */
const NO_HASH = Buffer.alloc(32);
/** Ids that carry our tag but exist in no tenant (deleted keys): ~6 MB at most. */
const ABSENT_MAX_ENTRIES = 100_000;

/**
 * Verifies a presented workspace key or user token for the tenant of the request context.
 * Cost on a warm cache: a regex, a CRC32, a map look-up and a SipHash (VerifiedKeyTags: a key
 * verified before is recognised without its HMAC); no database write.
 *
 * Unknown, wrong and foreign keys are told apart neither by the answer nor by the time it takes:
 * each costs the same SipHash and one HMAC, and no database query once warm. An id this server never issued is known
 * in memory (KeyIdRecognizer); another tenant's key is cached like any key and refused after the
 * same HMAC; an id that exists nowhere (a deleted key) is remembered as absent.
 */
@Injectable()
export class CredentialVerifier {
  private readonly absent: TtlCache<string, true>;
  private readonly tags = new VerifiedKeyTags();
  private readonly loads = new SingleFlight<string, CachedCredential | null>();

  constructor(
    private readonly cache: KeyCache,
    private readonly hasher: KeyHasher,
    private readonly keys: ApiKeysRepository,
    private readonly keyIds: KeyIdRecognizer,
    private readonly metrics: Metrics,
    private readonly legacy: LegacyVerifier,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {
    // Safe to remember: an id is minted fresh when its key is created, so an id that exists
    // nowhere never will. The TTL only bounds memory churn.
    this.absent = new TtlCache({ max: ABSENT_MAX_ENTRIES, ttl: 10 * 60_000 });
  }

  /**
   * Synchronous when the key is malformed or cached (the hot path creates no promise here);
   * a promise only when the database must be asked. A value that is not a Keygate key is asked
   * of LegacyVerifier, which answers at once unless the tenant imported keys (product.md, "Moving in").
   */
  verify(
    ctx: RequestContext,
    presented: string,
    tenantId: string,
    clientId: string | null = null,
  ): VerifyResult | Promise<VerifyResult> {
    const parsed = parseKey(presented);
    if (!parsed) return this.legacy.verify(ctx, presented, tenantId, clientId);
    if (parsed.kind === 'platform_key') return { ok: false, reason: 'malformed' };
    const cached = this.cache.get(parsed.keyId);
    if (cached) {
      this.metrics.cacheLookup('hit');
      return this.check(presented, tenantId, parsed, cached);
    }
    if (!this.keyIds.recognises(parsed.keyId) || this.absent.get(parsed.keyId)) {
      this.metrics.cacheLookup('skipped');
      return this.check(presented, tenantId, parsed, null);
    }
    this.metrics.cacheLookup('miss');
    // Requests asking for the same id share one look-up, unless a change came in between.
    const mark = this.cache.changes.mark();
    return this.loads
      .run(`${mark}:${parsed.keyId}`, () => this.load(parsed, mark))
      .then((credential) => this.check(presented, tenantId, parsed, credential));
  }

  /** The same answer from the cache alone, or null when the key id is not cached (no database). */
  verifyCached(presented: string, tenantId: string): VerifyResult | null {
    const parsed = parseKey(presented);
    if (!parsed || parsed.kind === 'platform_key') return null;
    const cached = this.cache.get(parsed.keyId);
    return cached ? this.check(presented, tenantId, parsed, cached) : null;
  }

  private check(
    presented: string,
    tenantId: string,
    parsed: ParsedKey,
    credential: CachedCredential | null,
  ): VerifyResult {
    // Another tenant's key is reported exactly like an unknown one, after the same tag and HMAC.
    const ours = credential !== null && credential.tenantId === tenantId;
    this.tags.compute(presented);
    const known = ours && this.tags.matches(credential);
    const matches = known || this.hasher.matches(presented, ours ? credential.secretHash : NO_HASH);
    if (!ours) return { ok: false, reason: 'not_found', parsed };
    if (!matches) return { ok: false, reason: 'wrong_secret', parsed };
    if (!known) this.tags.remember(credential);
    const status = credentialStatus(credential);
    if (status === 'REVOKED') return { ok: false, reason: 'revoked', credential, parsed };
    if (status === 'EXPIRED') return { ok: false, reason: 'expired', credential, parsed };
    return { ok: true, credential, parsed };
  }

  private async load(parsed: ParsedKey, mark: number): Promise<CachedCredential | null> {
    const row = await this.keys.findWithHashInAnyTenant(parsed.keyId);
    if (!row) {
      this.absent.set(parsed.keyId, true);
      return null;
    }
    const credential = this.toCached(row);
    // Read before a change to it was announced (revoked while we were asking): answer this
    // request with it, but do not keep it.
    if (!this.cache.changes.changedSince(mark, changeScopes(row))) this.cache.set(credential);
    return credential;
  }

  private toCached(row: ApiKey): CachedCredential {
    return cachedCredentialOf(row, keyPrefix(row), this.budgetOf(row));
  }

  /** The key's own limit, else its tier's, else the default. */
  budgetOf(
    row: Pick<ApiKey, 'rateLimitLimit' | 'rateLimitWindowSeconds' | 'rateLimitTier'>,
  ): RateLimitBudget {
    return resolveBudget(row, this.config.rateLimitTiers, this.config.rateLimitDefault);
  }
}
