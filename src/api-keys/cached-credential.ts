import type { RateLimitBudget } from '../core/config/rate-limit-tiers';
import type { ApiKey, CredentialKind, KeyEnvironment } from './api-key.entity';
import { compileAllowlist, type IpRange } from './ip-allowlist';

/** What the hot path keeps in memory for one key: everything a request needs, nothing more. */
export interface CachedCredential {
  id: string;
  tenantId: string;
  kind: CredentialKind;
  workspaceId: string | null;
  userId: string | null;
  keyId: string;
  prefix: string;
  environment: KeyEnvironment;
  scopes: string[];
  allowlist: IpRange[];
  /** The same allowlist as stored (canonical entries): what the authorization rule compares. */
  allowlistEntries: string[];
  rateLimit: RateLimitBudget;
  /** Whose budget it spends: its rotation chain's first key (see ApiKey.lineageId). */
  budgetId: string;
  expiresAt: number | null;
  revokedAt: number | null;
  /** The stored HMAC, decoded once when cached (empty for an imported key not used yet). */
  secretHash: Buffer;
  /** An imported key not used yet: the old system's hash (see legacy/legacy-verifier.ts). */
  legacyHash?: string | null;
  /** A Voltis row not used yet: its own sealed old application key. */
  legacyKey?: string | null;
  /** A Voltis token: the client id it must be presented with (the `ClientID` header). */
  clientId?: string;
  /**
   * Set once this process has verified the key by its HMAC: the key's SipHash tag, by which later
   * presentations are recognised without the HMAC (VerifiedKeyTags). Memory only, never stored.
   */
  verified: boolean;
  verifiedHi: number;
  verifiedLo: number;
}

export type CredentialStatus = 'VALID' | 'EXPIRED' | 'REVOKED';

/** Revocation and expiry are read against the clock on every request, so the cache never extends them. */
export function credentialStatus(credential: CachedCredential, now = Date.now()): CredentialStatus {
  if (credential.revokedAt !== null && credential.revokedAt <= now) return 'REVOKED';
  if (credential.expiresAt !== null && credential.expiresAt <= now) return 'EXPIRED';
  return 'VALID';
}

/**
 * The one way a row becomes a cached credential (native and imported keys alike). Built from the
 * row, never sliced from the presented key: a slice would keep the whole plaintext alive in memory
 * for as long as the entry is cached.
 */
export function cachedCredentialOf(
  row: ApiKey,
  prefix: string,
  rateLimit: RateLimitBudget,
): CachedCredential {
  return {
    id: row.id,
    tenantId: row.tenantId,
    kind: row.kind,
    workspaceId: row.workspaceId,
    userId: row.userId,
    keyId: row.keyId,
    prefix,
    environment: row.environment,
    scopes: row.scopes,
    allowlist: compileAllowlist(row.ipAllowlist),
    allowlistEntries: row.ipAllowlist,
    rateLimit,
    // One budget per user for tokens (a fresh login is no fresh budget); per rotation chain, or
    // per minting key, for keys.
    budgetId: row.kind === 'user_token' ? `user:${row.userId}` : (row.lineageId ?? row.id),
    expiresAt: row.expiresAt ? row.expiresAt.getTime() : null,
    revokedAt: row.revokedAt ? row.revokedAt.getTime() : null,
    secretHash: Buffer.from(row.secretHash, 'hex'),
    verified: false,
    verifiedHi: 0,
    verifiedLo: 0,
  };
}
