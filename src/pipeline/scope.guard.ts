import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ForbiddenError } from '../core/errors';
import { assertScope } from '../core/access-policy/scope-rule';
import { RequestContext } from '../core/context/request-context';
import { RoutePolicyRegistry } from './route-policy.registry';

/**
 * Link 4: the route's scope (`@RequireScope`, or `@AutoScope` from path and method) must be
 * covered by the effective scopes. A route without any policy never gets here: the boot refuses it.
 */
@Injectable()
export class ScopeGuard implements CanActivate {
  constructor(
    private readonly policies: RoutePolicyRegistry,
    private readonly context: RequestContext,
  ) {}

  canActivate(execution: ExecutionContext): boolean {
    const policy = this.policies.of(execution);
    const principal = this.context.principal();
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
        assertScope(this.context.effectiveScopes(), policy.scope);
        return true;
      }
    }
  }
}
