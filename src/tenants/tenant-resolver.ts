import { Injectable } from '@nestjs/common';
import { TtlCache } from '../common/ttl-cache';
import { InjectConfig, KeygateConfig } from '../config/keygate.config';
import { Tenant } from './tenant.entity';
import { TenantsRepository } from './tenants.repository';

const NOT_FOUND = Symbol('not found');
/** Unknown slugs are remembered only briefly: a tenant created by the CLI must answer at once. */
const NEGATIVE_TTL_MS = 1000;

/** Host label → tenant, cached in memory (TENANT_CACHE_TTL_SECONDS) so the hot path skips the database. */
@Injectable()
export class TenantResolver {
  private readonly cache = new TtlCache<string, Tenant | typeof NOT_FOUND>({ max: 10000, ttl: 1000 });
  private readonly ttlMs: number;

  constructor(
    private readonly tenants: TenantsRepository,
    @InjectConfig() config: KeygateConfig,
  ) {
    this.ttlMs = Math.max(config.tenantCacheTtlSeconds * 1000, 1);
  }

  /** The cached answer, without a promise; undefined when the database must be asked. */
  peek(slug: string): Tenant | null | undefined {
    const cached = this.cache.get(slug);
    return cached === undefined ? undefined : cached === NOT_FOUND ? null : cached;
  }

  async bySlug(slug: string): Promise<Tenant | null> {
    const cached = this.cache.get(slug);
    if (cached !== undefined) return cached === NOT_FOUND ? null : cached;
    const tenant = await this.tenants.findBySlug(slug);
    this.cache.set(slug, tenant ?? NOT_FOUND, { ttl: tenant ? this.ttlMs : NEGATIVE_TTL_MS });
    return tenant;
  }

  invalidate(slug: string): void {
    this.cache.delete(slug);
  }
}
