import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ForbiddenError, NotFoundError } from '../core/errors';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { clientIp, httpRequest, requestHost } from '../core/http/http-request';
import { TenantResolver } from '../tenants/tenant-resolver';
import type { Tenant } from '../tenants/tenant.entity';
import { RequestContext } from '../core/context/request-context';
import { RoutePolicyRegistry } from './route-policy.registry';
import { classifyHost } from './tenant-host';

/**
 * Link 1: the tenant from the Host's left-most label under BASE_DOMAIN. Unknown tenant 404,
 * suspended 403. Platform routes answer only on the bare BASE_DOMAIN, tenant routes only on a
 * tenant host (each is 404 on the other).
 */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(
    private readonly policies: RoutePolicyRegistry,
    private readonly tenants: TenantResolver,
    private readonly context: RequestContext,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  /** Synchronous when the tenant is cached: no promise on the hot path (see README, benchmarks). */
  canActivate(execution: ExecutionContext): boolean | Promise<boolean> {
    const request = httpRequest(execution);
    this.context.setClientIp(clientIp(request, this.config.trustProxy));
    const policy = this.policies.of(execution);
    if (policy.kind === 'public' && policy.anyHost) return true;
    const target = classifyHost(requestHost(request, this.config.trustProxy), this.config.baseDomain);
    if (policy.kind === 'platform') {
      if (target.type !== 'platform') throw new NotFoundError();
      return true;
    }
    if (target.type !== 'tenant') throw new NotFoundError();
    const cached = this.tenants.peek(target.slug);
    if (cached !== undefined) return this.accept(cached);
    return this.tenants.bySlug(target.slug).then((tenant) => this.accept(tenant));
  }

  private accept(tenant: Tenant | null): boolean {
    if (!tenant) throw new NotFoundError();
    if (tenant.status !== 'active') throw ForbiddenError.because('tenant_suspended');
    this.context.setTenant(tenant);
    return true;
  }
}
