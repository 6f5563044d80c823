import { Injectable, OnModuleInit } from '@nestjs/common';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { TtlCache } from '../core/common/ttl-cache';
import { SingleFlight } from '../core/common/single-flight';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { Tenant } from './tenant.entity';
import { TenantsRepository } from './tenants.repository';

const NOT_FOUND = Symbol('not found');
/** Unknown slugs are remembered only briefly: a tenant created by the CLI must answer at once. */
const NEGATIVE_TTL_MS = 1000;

/** Host label → tenant, cached in memory (TENANT_CACHE_TTL_SECONDS) so the hot path skips the database. */
@Injectable()
export class TenantResolver implements OnModuleInit {
  private readonly cache = new TtlCache<string, Tenant | typeof NOT_FOUND>({ max: 10000, ttl: 1000 });
  private readonly ttlMs: number;
  private readonly loads = new SingleFlight<string, Tenant | null>();
  /** Bumped by every invalidation: a load that began before one is neither cached nor shared. */
  private generation = 0;

  constructor(
    private readonly tenants: TenantsRepository,
    private readonly bus: InvalidationBus,
    @InjectConfig() config: KeygateConfig,
  ) {
    this.ttlMs = Math.max(config.tenantCacheTtlSeconds * 1000, 1);
  }

  onModuleInit(): void {
    this.bus.subscribe((event) => {
      if (event.type !== 'tenant' && event.type !== 'resync') return;
      this.generation++;
      if (event.type === 'tenant') this.cache.delete(event.slug);
      else this.cache.clear();
    });
  }

  /** The cached answer, without a promise; undefined when the database must be asked. */
  peek(slug: string): Tenant | null | undefined {
    const cached = this.cache.get(slug);
    return cached === undefined ? undefined : cached === NOT_FOUND ? null : cached;
  }

  async bySlug(slug: string): Promise<Tenant | null> {
    const cached = this.cache.get(slug);
    if (cached !== undefined) return cached === NOT_FOUND ? null : cached;
    const generation = this.generation;
    return this.loads.run(`${generation}:${slug}`, async () => {
      const tenant = await this.tenants.findBySlug(slug);
      if (this.generation === generation)
        this.cache.set(slug, tenant ?? NOT_FOUND, { ttl: tenant ? this.ttlMs : NEGATIVE_TTL_MS });
      return tenant;
    });
  }
}
