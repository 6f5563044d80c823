import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ForbiddenError } from '../core/errors';
import { assertScope } from '../core/access-policy/scope-rule';
import { contextIn } from '../core/context/ctx.decorator';
import { RoutePolicyRegistry } from './route-policy.registry';

/**
 * Link 4: the route's scope (`@RequireScope`, or `@AutoScope` from path and method) must be
 * covered by the effective scopes. A route without any policy never gets here: the boot refuses it.
 */
@Injectable()
export class ScopeGuard implements CanActivate {
  constructor(private readonly policies: RoutePolicyRegistry) {}

  canActivate(execution: ExecutionContext): boolean {
    const policy = this.policies.of(execution);
    const ctx = contextIn(execution);
    const principal = ctx.principal();
    switch (policy.kind) {
      case 'public':
        return true;
      case 'platform':
        // The credential link accepted only a platform key here; say so loudly if that ever changes.
        if (principal?.kind !== 'platform_key') throw new ForbiddenError();
        return true;
      case 'authenticated':
        if (!principal) throw new ForbiddenError();
        return true;
      case 'scope': {
        assertScope(ctx.effectiveScopes(), policy.scope);
        return true;
      }
    }
  }
}
