import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ForbiddenError, NotFoundError } from '../core/errors';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { clientIp, httpRequest, normalizeHost, rawRequestHost } from '../core/http/http-request';
import { TenantResolver } from '../tenants/tenant-resolver';
import type { Tenant } from '../tenants/tenant.entity';
import { contextOf, type RequestContext } from '../core/context/request-context';
import { RoutePolicyRegistry } from './route-policy.registry';
import { classifyHost, type HostTarget } from './tenant-host';

const MAX_REMEMBERED_HOSTS = 1000;
const MAX_HOST_LENGTH = 260;

/**
 * Link 1: the tenant from the Host's left-most label under BASE_DOMAIN. Unknown tenant 404,
 * suspended 403. Platform routes answer only on the bare BASE_DOMAIN, tenant routes only on a
 * tenant host (each is 404 on the other).
 */
@Injectable()
export class TenantGuard implements CanActivate {
  /**
   * What each Host value names, worked out once (lower-casing, port and dot stripping and the
   * label check cost more than the rest of this link). Hosts are the client's to choose, so the
   * memo is bounded: when full it starts over.
   */
  private readonly targets = new Map<string, HostTarget>();

  constructor(
    private readonly policies: RoutePolicyRegistry,
    private readonly tenants: TenantResolver,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  /** Synchronous when the tenant is cached: no promise on the hot path (see README, benchmarks). */
  canActivate(execution: ExecutionContext): boolean | Promise<boolean> {
    const request = httpRequest(execution);
    const ctx = contextOf(request);
    ctx.setClientIp(clientIp(request, this.config.trustProxy));
    const policy = this.policies.of(execution);
    if (policy.kind === 'public' && policy.anyHost) return true;
    const target = this.targetOf(rawRequestHost(request, this.config.trustProxy));
    if (policy.kind === 'platform') {
      if (target.type !== 'platform') throw new NotFoundError();
      return true;
    }
    if (target.type !== 'tenant') throw new NotFoundError();
    const cached = this.tenants.peek(target.slug);
    if (cached !== undefined) return this.accept(ctx, cached);
    return this.tenants.bySlug(ctx, target.slug).then((tenant) => this.accept(ctx, tenant));
  }

  private targetOf(rawHost: string): HostTarget {
    let target = this.targets.get(rawHost);
    if (target !== undefined) return target;
    target = classifyHost(normalizeHost(rawHost), this.config.baseDomain);
    // No DNS name with a port is longer; longer values are refused anyway, just not remembered.
    if (rawHost.length <= MAX_HOST_LENGTH) {
      if (this.targets.size >= MAX_REMEMBERED_HOSTS) this.targets.clear();
      // A copy: the value may be a slice of a 16 KB X-Forwarded-Host list, which V8 would keep
      // alive whole for as long as the slice is a key here (found by an attack pass). UTF-8 both
      // ways copies any header string exactly (latin1 would fold U+0161 onto "a", and so could
      // file a hostile value's answer under a tenant's real host).
      this.targets.set(Buffer.from(rawHost, 'utf8').toString('utf8'), target);
    }
    return target;
  }

  private accept(ctx: RequestContext, tenant: Tenant | null): boolean {
    if (!tenant) throw new NotFoundError();
    if (tenant.status !== 'active') throw ForbiddenError.because('tenant_suspended');
    ctx.setTenant(tenant);
    return true;
  }
}
