/** The JSON shapes of the Keygate API (snake_case, as on the wire). */

export type Environment = 'live' | 'test';
export type RateLimitTier = 'free' | 'pro' | 'enterprise';

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  environment: Environment;
  workspace_id: string;
  scopes: string[];
  ip_allowlist: string[];
  rate_limit_tier: RateLimitTier | null;
  rate_limit: { limit: number; window_seconds: number } | null;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
  status: string;
  [field: string]: unknown;
}

/** A new or rotated key: `key` is the plaintext, shown this once. */
export interface ApiKeyWithSecret extends ApiKey {
  key: string;
}

export interface CreateApiKeyInput {
  name: string;
  scopes: string[];
  environment?: Environment;
  expires_at?: string | null;
  ip_allowlist?: string[];
  rate_limit_tier?: RateLimitTier | null;
  rate_limit?: { limit: number; window_seconds: number } | null;
}

export type UpdateApiKeyInput = Partial<Omit<CreateApiKeyInput, 'environment'>>;

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface ListOptions {
  cursor?: string;
  limit?: number;
}

export type VerifyCode =
  'VALID' | 'NOT_FOUND' | 'EXPIRED' | 'REVOKED' | 'FORBIDDEN' | 'INSUFFICIENT_SCOPES' | 'RATE_LIMITED';

export interface VerifyInput {
  key: string;
  scopes?: string[];
  ip?: string;
}

export interface VerifyResult {
  valid: boolean;
  code: VerifyCode;
  key_id: string | null;
  credential_type: 'workspace_key' | 'user_token' | null;
  user_id: string | null;
  workspace_id: string | null;
  environment: Environment | null;
  scopes: string[];
  expires_at: string | null;
  ratelimit: { limit: number | null; window_seconds: number; remaining?: number; reset?: number } | null;
}

export interface Me {
  credential_type: string;
  key_id: string;
  prefix: string;
  environment: Environment;
  tenant: { id: string; slug: string; name: string };
  user_id: string | null;
  user: { id: string; email: string; name: string; tenant_role: string } | null;
  workspace: { id: string; name: string } | null;
  scopes: string[];
}

export interface UserToken {
  id: string;
  name: string;
  prefix: string;
  abilities: string[];
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
  [field: string]: unknown;
}

export interface UserTokenWithSecret extends UserToken {
  token: string;
}

export interface CreateTokenInput {
  name: string;
  abilities?: string[];
  expires_at?: string | null;
}
