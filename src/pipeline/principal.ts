import type { CredentialKind, KeyEnvironment } from '../api-keys/api-key.entity';
import type { RateLimitBudget } from '../config/rate-limit-tiers';

/** Who is calling: filled by CredentialGuard, completed (workspace, scopes) by WorkspaceGuard. */
export interface Principal {
  kind: CredentialKind | 'platform_key';
  /** Row id of the credential (api_keys.id or platform_keys.id). */
  credentialId: string;
  /** Safe to show: type, environment and public key id. */
  prefix: string;
  environment: KeyEnvironment;
  /** Set for workspace keys: the one workspace they are bound to. */
  boundWorkspaceId: string | null;
  userId: string | null;
  /** What the credential itself holds: a key's scopes or a token's abilities. */
  grantedScopes: string[];
  rateLimit: RateLimitBudget;
  /** When the credential expires (ms), or null: what it mints may not outlive it. */
  expiresAt: number | null;
}
