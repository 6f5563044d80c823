import { iso } from '../core/common/iso';
import { ApiKey } from './api-key.entity';
import { credentialStatus } from './cached-credential';
import { keyPrefix } from './key-format';

export type KeyStatus = 'active' | 'expired' | 'revoked';

export function keyStatus(row: ApiKey, now = Date.now()): KeyStatus {
  const status = credentialStatus(
    { revokedAt: row.revokedAt?.getTime() ?? null, expiresAt: row.expiresAt?.getTime() ?? null } as never,
    now,
  );
  return status === 'VALID' ? 'active' : status === 'EXPIRED' ? 'expired' : 'revoked';
}

/** The key JSON of product.md. Never the secret, never the hash. */
export function presentKey(row: ApiKey) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.displayPrefix ?? keyPrefix(row),
    format: row.format ?? 'keygate',
    environment: row.environment,
    workspace_id: row.workspaceId,
    scopes: row.scopes,
    ip_allowlist: row.ipAllowlist,
    rate_limit_tier: row.rateLimitTier,
    rate_limit:
      row.rateLimitLimit && row.rateLimitWindowSeconds
        ? { limit: row.rateLimitLimit, window_seconds: row.rateLimitWindowSeconds }
        : null,
    expires_at: iso(row.expiresAt),
    last_used_at: iso(row.lastUsedAt),
    revoked_at: iso(row.revokedAt),
    rotated_from_id: row.rotatedFromId,
    created_at: iso(row.createdAt),
    status: keyStatus(row),
  };
}
