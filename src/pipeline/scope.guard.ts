import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, MissingScopeError } from '../core/errors';
import { coveredByAny } from '../core/access-policy/scope-names';
import { RequestContext } from '../core/context/request-context';
import { routePolicy } from '../core/access-policy/route-policy';

/**
 * Link 4: the route's scope (`@RequireScope`, or `@AutoScope` from path and method) must be
 * covered by the effective scopes. Deny by default: a non-public route without a scope is 403.
 */
@Injectable()
export class ScopeGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly context: RequestContext,
  ) {}

  canActivate(execution: ExecutionContext): boolean {
    const policy = routePolicy(this.reflector, execution);
    if (policy.isPublic) return true;
    if (policy.platform) return this.context.principal()?.kind === 'platform_key';
    if (policy.authenticatedOnly && this.context.principal()) return true;
    const required = policy.scope;
    if (!required) throw new ForbiddenError();
    const effective = this.context.effectiveScopes();
    if (!coveredByAny(effective, required)) throw new MissingScopeError(required, effective);
    return true;
  }
}
