import { Injectable, OnModuleInit } from '@nestjs/common';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { TtlCache } from '../core/common/ttl-cache';
import { SingleFlight } from '../core/common/single-flight';
import { ChangeLog, EVERYTHING } from '../core/common/change-log';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { Tenant } from './tenant.entity';
import { TenantsRepository } from './tenants.repository';
import type { RequestContext } from '../core/context/request-context';

const NOT_FOUND = Symbol('not found');
/** Unknown slugs are remembered only briefly: a tenant created by the CLI must answer at once. */
const NEGATIVE_TTL_MS = 1000;

/** Host label → tenant, cached in memory (TENANT_CACHE_TTL_SECONDS) so the hot path skips the database. */
@Injectable()
export class TenantResolver implements OnModuleInit {
  private readonly cache = new TtlCache<string, Tenant | typeof NOT_FOUND>({ max: 10000, ttl: 1000 });
  private readonly ttlMs: number;
  private readonly loads = new SingleFlight<string, Tenant | null>();
  /** Invalidations by slug: a load that began before one of its slug is neither cached nor shared. */
  private readonly changes = new ChangeLog();

  constructor(
    private readonly tenants: TenantsRepository,
    private readonly bus: InvalidationBus,
    @InjectConfig() config: KeygateConfig,
  ) {
    this.ttlMs = Math.max(config.tenantCacheTtlSeconds * 1000, 1);
  }

  onModuleInit(): void {
    this.bus.subscribe((event) => {
      if (event.type === 'tenant') {
        this.changes.record(`slug:${event.slug}`);
        this.cache.delete(event.slug);
      } else if (event.type === 'resync') {
        this.changes.record(EVERYTHING);
        this.cache.clear();
      }
    });
  }

  /** The cached answer, without a promise; undefined when the database must be asked. */
  peek(slug: string): Tenant | null | undefined {
    const cached = this.cache.get(slug);
    return cached === undefined ? undefined : cached === NOT_FOUND ? null : cached;
  }

  async bySlug(ctx: RequestContext, slug: string): Promise<Tenant | null> {
    const cached = this.cache.get(slug);
    if (cached !== undefined) return cached === NOT_FOUND ? null : cached;
    const mark = this.changes.mark();
    return this.loads.run(`${mark}:${slug}`, async () => {
      const tenant = await this.tenants.findBySlug(ctx, slug);
      if (!this.changes.changedSince(mark, [`slug:${slug}`]))
        this.cache.set(slug, tenant ?? NOT_FOUND, { ttl: tenant ? this.ttlMs : NEGATIVE_TTL_MS });
      return tenant;
    });
  }
}
