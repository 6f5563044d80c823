import type { RateLimitBudget } from '../config/rate-limit-tiers';

/** Workspace API keys and user tokens; both live in the api-keys feature's one table. */
export type CredentialKind = 'workspace_key' | 'user_token';
export type KeyEnvironment = 'live' | 'test';

/** Who is calling: filled by CredentialGuard, completed (workspace, scopes) by WorkspaceGuard. */
export interface Principal {
  kind: CredentialKind | 'platform_key';
  /** A dashboard session (the cookie): a `user_token` principal whose credentialId is the session's id. */
  viaSession?: boolean;
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
  /** The budget it spends (shared along a rotation chain). */
  budgetId: string;
  /** When the credential expires (ms), or null: what it mints may not outlive it. */
  expiresAt: number | null;
  /** Its IP allowlist (canonical entries; empty = everywhere): what it mints may not escape it. */
  allowlist: readonly string[];
}

/**
 * The budget a credential made by `maker` spends: a workspace key's own, so that keys, imports
 * and OAuth clients made by a key multiply no budget; null for anyone else (a person's token, the
 * CLI): the new credential gets a budget of its own. The one place of that rule.
 */
export function inheritedBudget(maker: Principal | undefined): string | null {
  return maker?.kind === 'workspace_key' ? maker.budgetId : null;
}
