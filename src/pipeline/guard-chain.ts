import { CredentialGuard } from './credential.guard';
import { RateLimitGuard } from './rate-limit.guard';
import { ScopeGuard } from './scope.guard';
import { TenantGuard } from './tenant.guard';
import { WorkspaceGuard } from './workspace.guard';

/**
 * The global guard chain. THE ORDER MATTERS: each link reads what the links before it put in the
 * request context (tenant → principal → workspace and effective scopes → budget). Nest runs
 * APP_GUARD providers in registration order, and PipelineModule registers exactly this array.
 */
export const GUARD_CHAIN = [
  TenantGuard,
  CredentialGuard,
  WorkspaceGuard,
  ScopeGuard,
  RateLimitGuard,
] as const;
