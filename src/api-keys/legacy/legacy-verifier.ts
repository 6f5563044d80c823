import { Injectable } from '@nestjs/common';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { InjectConfig, KeygateConfig } from '../../core/config/keygate.config';
import { resolveBudget } from '../../core/config/rate-limit-tiers';
import type { LegacyFormatSettings } from '../../core/context/legacy-formats';
import { RequestContext } from '../../core/context/request-context';
import { InvalidationBus } from '../../core/events/invalidation-bus';
import { ApiKey } from '../api-key.entity';
import { CachedCredential, cachedCredentialOf, credentialStatus } from '../cached-credential';
import type { VerifyResult } from '../credential-verifier';
import { changeScopes, KeyCache } from '../key-cache';
import { KeyHasher } from '../key-hasher';
import { BcryptGate } from './bcrypt-gate';
import { LegacyKeyIndex } from './legacy-key-index';
import { LegacyKeyStore } from './legacy-key-store';
import { LegacyCandidate, legacyCandidates, legacyKeyId } from './legacy-shapes';
import { unseal } from './legacy-seal';
import { addressBucket } from '../../core/common/fixed-window-counter';

const MALFORMED: VerifyResult = { ok: false, reason: 'malformed' };

/**
 * Imported credentials, presented as their old system took them (product.md, "Moving in"). Asked
 * by CredentialVerifier only for a value that is not a Keygate key, and answers at once, with no
 * work, unless the request's tenant imported a format the value could be.
 *
 * An imported row is stored under a derived key id (legacy-shapes.ts) and found through the same
 * key cache and unique index as a native key. Until its first successful use it holds the old
 * hash; that use checks it (SHA-256 and HMAC-SHA-512 at once, bcrypt through BcryptGate) and
 * replaces it by our HMAC of the presented value, so every later check, cold or warm, costs what
 * a native key's does. Every comparison is constant-time; every failure is the one 401. A value
 * under no key id the tenant imported is refused before the database (LegacyKeyIndex).
 */
@Injectable()
export class LegacyVerifier {
  private readonly gate = new BcryptGate();
  /** Sealed Voltis key → the key, opened once per process. */
  private readonly voltisKeys = new Map<string, Buffer | null>();

  constructor(
    private readonly cache: KeyCache,
    private readonly hasher: KeyHasher,
    private readonly store: LegacyKeyStore,
    private readonly index: LegacyKeyIndex,
    private readonly bus: InvalidationBus,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  verify(
    ctx: RequestContext,
    presented: string,
    tenantId: string,
    clientId: string | null,
  ): VerifyResult | Promise<VerifyResult> {
    const tenant = ctx.tenant();
    const formats = tenant.id === tenantId ? tenant.legacyFormats : null;
    if (!formats) return MALFORMED;
    const candidates = legacyCandidates(presented, clientId, formats);
    if (candidates.length === 0) return MALFORMED;
    return this.tryCandidates(ctx, presented, tenantId, candidates, formats);
  }

  private async tryCandidates(
    ctx: RequestContext,
    presented: string,
    tenantId: string,
    candidates: LegacyCandidate[],
    formats: LegacyFormatSettings,
  ): Promise<VerifyResult> {
    let failure: VerifyResult = { ok: false, reason: 'not_found' };
    for (const candidate of candidates) {
      const keyId = legacyKeyId(tenantId, candidate);
      const mark = this.cache.changes.mark();
      const cached = this.cache.get(keyId);
      if (!cached && !(await this.index.mayHold(ctx, tenantId, formats, keyId))) continue;
      const credential = cached ?? (await this.load(ctx, keyId, mark));
      if (!credential || credential.tenantId !== tenantId) continue;
      const parsed = {
        kind: credential.kind,
        environment: credential.environment,
        keyId,
        prefix: credential.prefix,
      };
      if (!(await this.matches(ctx, presented, candidate, credential, formats))) {
        failure = { ok: false, reason: 'wrong_secret', parsed };
        continue;
      }
      // A change announced while we were checking (bcrypt takes tens of milliseconds: a revoke, a
      // delete) means the copy we hold may predate it: what counts is the row as it is now.
      let current: CachedCredential | null = credential;
      let since = mark;
      if (this.cache.changes.changedSince(mark, changeScopes(credential))) {
        since = this.cache.changes.mark();
        current = await this.load(ctx, keyId, since);
        // The same row, or nothing: the secret was checked against that row's hash.
        if (!current || current.id !== credential.id) continue;
      }
      const upgraded = current.legacyHash ? await this.upgrade(ctx, presented, current, since) : current;
      const status = credentialStatus(upgraded);
      if (status === 'REVOKED') return { ok: false, reason: 'revoked', credential: upgraded, parsed };
      if (status === 'EXPIRED') return { ok: false, reason: 'expired', credential: upgraded, parsed };
      return { ok: true, credential: upgraded, parsed };
    }
    return failure;
  }

  private matches(
    ctx: RequestContext,
    presented: string,
    candidate: LegacyCandidate,
    credential: CachedCredential,
    formats: LegacyFormatSettings,
  ): boolean | Promise<boolean> {
    const legacy = credential.legacyHash;
    if (!legacy) return this.hasher.matches(presented, credential.secretHash);
    switch (candidate.format) {
      case 'sanctum': {
        const secret = presented.slice(presented.indexOf('|') + 1);
        return equalHex(createHash('sha256').update(secret).digest(), legacy);
      }
      case 'voltis': {
        // The row's own key; rows imported before keys were kept per row: the tenant's.
        const key = this.voltisKey(credential.legacyKey ?? formats.voltis?.sealedKey);
        return key !== null && equalHex(createHmac('sha512', key).update(presented).digest(), legacy);
      }
      default: {
        // Which (stored key, presented value) pair, without keeping the plaintext in a map key.
        const flight = `${credential.id}:${createHash('sha256').update(presented).digest('base64')}`;
        const client = addressBucket(ctx.clientIp() ?? 'unknown');
        return this.gate.check(presented, legacy, credential.id, flight, client);
      }
    }
  }

  /**
   * The first successful use: our HMAC replaces the old hash in the row (at most once, whoever
   * wins), every instance forgets the entry that held the old hash, and this one caches the new
   * one before the write, so a request arriving meanwhile costs an HMAC, not a second bcrypt.
   */
  private async upgrade(
    ctx: RequestContext,
    presented: string,
    credential: CachedCredential,
    since: number,
  ): Promise<CachedCredential> {
    const hash = this.hasher.hash(presented);
    const upgraded = {
      ...credential,
      secretHash: Buffer.from(hash, 'hex'),
      legacyHash: null,
      legacyKey: null,
    };
    // Cached only if nothing changed since `credential` was read (the publish below is ours).
    const unchanged = !this.cache.changes.changedSince(since, changeScopes(credential));
    this.bus.publish(ctx, { type: 'key', keyId: credential.keyId });
    if (unchanged) this.cache.set(upgraded);
    // The value is verified either way; a failed write only means the next cold look-up checks the
    // old hash once more, which is no reason to refuse this request.
    await this.store.upgrade(ctx, credential.id, hash).catch(() => false);
    return upgraded;
  }

  /** The row as a cached credential; kept in the cache only if no invalidation came meanwhile. */
  private async load(ctx: RequestContext, keyId: string, mark: number): Promise<CachedCredential | null> {
    const row = await this.store.findForVerify(ctx, keyId);
    if (!row) return null;
    const credential = this.toCached(row);
    if (!this.cache.changes.changedSince(mark, changeScopes(row))) this.cache.set(credential);
    return credential;
  }

  private voltisKey(sealed: string | undefined): Buffer | null {
    if (!sealed) return null;
    let key = this.voltisKeys.get(sealed);
    if (key === undefined) {
      const opened = unseal(this.config.appKey, sealed);
      key = opened === null ? null : Buffer.from(opened, 'utf8');
      this.voltisKeys.set(sealed, key);
    }
    return key;
  }

  private toCached(row: ApiKey): CachedCredential {
    const budget = resolveBudget(row, this.config.rateLimitTiers, this.config.rateLimitDefault);
    return {
      ...cachedCredentialOf(row, row.displayPrefix ?? row.keyId, budget),
      legacyHash: row.legacyHash,
      legacyKey: row.legacyKey,
      ...(row.format === 'voltis' && row.legacyId ? { clientId: row.legacyId } : {}),
    };
  }
}

/** Constant-time: a digest against a stored hex hash of the same length. */
function equalHex(digest: Buffer, storedHex: string): boolean {
  const stored = Buffer.from(storedHex, 'hex');
  return stored.length === digest.length && timingSafeEqual(stored, digest);
}
