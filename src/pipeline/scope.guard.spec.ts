import { ExecutionContext } from '@nestjs/common';
import type { Principal } from '../core/context/principal';
import { openContext } from '../core/context/request-context';
import type { RoutePolicy } from '../core/access-policy/route-policy';
import { ForbiddenError, MissingScopeError } from '../core/errors';
import type { RoutePolicyRegistry } from './route-policy.registry';
import { ScopeGuard } from './scope.guard';

const request = {};
const execution = { getArgByIndex: () => request } as unknown as ExecutionContext;
const key: Principal = {
  kind: 'workspace_key',
  credentialId: 'key_1',
  prefix: 'sk_live_x',
  environment: 'live',
  boundWorkspaceId: 'ws_1',
  userId: null,
  grantedScopes: ['invoices:*'],
  rateLimit: { limit: 10, windowSeconds: 60 },
  budgetId: 'key_1',
  expiresAt: null,
  allowlist: [],
};

/** The guard over a fixed policy, inside a request context with `principal` and `effective` scopes. */
function check(policy: RoutePolicy, principal: Principal | null, effective: string[] = []): boolean {
  const context = openContext(request);
  const guard = new ScopeGuard({ of: () => policy } as unknown as RoutePolicyRegistry);
  if (principal) context.setPrincipal(principal);
  context.setWorkspace(null, effective);
  return guard.canActivate(execution);
}

describe('ScopeGuard: the route policy against the effective scopes, loud on refusal', () => {
  it('lets a covered scope through and refuses an uncovered one with the scope named', () => {
    const policy: RoutePolicy = { kind: 'scope', scope: 'invoices:create', requireWorkspace: false };
    expect(check(policy, key, ['invoices:*'])).toBe(true);
    expect(() => check(policy, key, ['invoices:read'])).toThrow(MissingScopeError);
  });

  it('throws, never returns false: platform routes need a platform key, authenticated routes a principal', () => {
    expect(() => check({ kind: 'platform' }, key)).toThrow(ForbiddenError);
    expect(() => check({ kind: 'authenticated', requireWorkspace: false }, null)).toThrow(ForbiddenError);
    expect(check({ kind: 'authenticated', requireWorkspace: false }, key)).toBe(true);
    expect(check({ kind: 'public', anyHost: false }, null)).toBe(true);
  });
});
