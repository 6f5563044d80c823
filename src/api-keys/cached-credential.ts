import type { RateLimitBudget } from '../core/config/rate-limit-tiers';
import type { CredentialKind, KeyEnvironment } from './api-key.entity';
import type { IpRange } from './ip-allowlist';

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
}

export type CredentialStatus = 'VALID' | 'EXPIRED' | 'REVOKED';

/** Revocation and expiry are read against the clock on every request, so the cache never extends them. */
export function credentialStatus(credential: CachedCredential, now = Date.now()): CredentialStatus {
  if (credential.revokedAt !== null && credential.revokedAt <= now) return 'REVOKED';
  if (credential.expiresAt !== null && credential.expiresAt <= now) return 'EXPIRED';
  return 'VALID';
}
