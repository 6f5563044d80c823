import type { CredentialTerms } from '../access/authority';
import type { KeygateConfig } from '../core/config/load-config';
import { resolveBudget } from '../core/config/rate-limit-tiers';
import type { ApiKey } from './api-key.entity';

type Settings = Pick<
  ApiKey,
  | 'kind'
  | 'environment'
  | 'workspaceId'
  | 'scopes'
  | 'ipAllowlist'
  | 'expiresAt'
  | 'rateLimitTier'
  | 'rateLimitLimit'
  | 'rateLimitWindowSeconds'
>;

/** A key row (or a row about to be written) as the authorization rule compares it. */
export function termsOf(row: Settings, config: KeygateConfig): CredentialTerms {
  return {
    kind: row.kind,
    environment: row.environment,
    workspaceId: row.workspaceId,
    scopes: row.scopes,
    allowlist: row.ipAllowlist,
    expiresAt: row.expiresAt ? row.expiresAt.getTime() : null,
    budget: resolveBudget(row, config.rateLimitTiers, config.rateLimitDefault),
  };
}

/** A key's own rate-limit settings: what a credential spending its budget takes on. */
export function budgetSettingsOf(
  key: ApiKey,
): Pick<ApiKey, 'rateLimitTier' | 'rateLimitLimit' | 'rateLimitWindowSeconds'> {
  return {
    rateLimitTier: key.rateLimitTier,
    rateLimitLimit: key.rateLimitLimit,
    rateLimitWindowSeconds: key.rateLimitWindowSeconds,
  };
}
