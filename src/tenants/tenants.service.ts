import { Injectable } from '@nestjs/common';
import { decodeCursor, PageQueryDto, toPage } from '../core/common/pagination';
import { NotFoundError } from '../core/errors';
import { TransactionRunner } from '../core/database/transaction-runner';
import { InvalidationBus } from '../core/events/invalidation-bus';
import type { LegacyFormatSettings } from '../core/context/legacy-formats';
import { Tenant, TenantStatus } from './tenant.entity';
import { presentTenant } from './tenant.presenter';
import { TenantsRepository } from './tenants.repository';
import type { RequestContext } from '../core/context/request-context';

/** Operator actions on tenants: the platform API and the CLI both call these. */
@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly transactions: TransactionRunner,
    private readonly bus: InvalidationBus,
  ) {}

  async list(ctx: RequestContext, query: PageQueryDto) {
    const limit = query.limit ?? 20;
    const rows = await this.tenants.page(ctx, decodeCursor(query.cursor), limit + 1);
    return toPage(rows, limit, presentTenant);
  }

  async get(ctx: RequestContext, idOrSlug: string): Promise<Tenant> {
    const tenant =
      (await this.tenants.findById(ctx, idOrSlug)) ?? (await this.tenants.findBySlug(ctx, idOrSlug));
    if (!tenant) throw new NotFoundError();
    return tenant;
  }

  async rename(ctx: RequestContext, id: string, name: string) {
    const tenant = await this.get(ctx, id);
    await this.tenants.update(ctx, tenant.id, { name, updatedAt: new Date() });
    return presentTenant({ ...tenant, name, updatedAt: new Date() });
  }

  async setStatus(ctx: RequestContext, idOrSlug: string, status: TenantStatus) {
    const tenant = await this.get(ctx, idOrSlug);
    const updatedAt = new Date();
    await this.tenants.update(ctx, tenant.id, { status, updatedAt });
    this.bus.publish(ctx, { type: 'tenant', tenantId: tenant.id, slug: tenant.slug });
    return presentTenant({ ...tenant, status, updatedAt });
  }

  /**
   * The formats a tenant imported credentials from (KeyImportService, inside its transaction):
   * from the commit on, the hot path tries presented values of those shapes as legacy keys.
   * `merge` gets the row as stored now, not as a cache saw it: an import of another format a
   * moment ago must not be lost.
   */
  async recordLegacyImport(
    ctx: RequestContext,
    id: string,
    merge: (current: LegacyFormatSettings | null) => LegacyFormatSettings,
  ): Promise<void> {
    const tenant = await this.get(ctx, id);
    await this.tenants.update(ctx, tenant.id, {
      legacyFormats: merge(tenant.legacyFormats),
      updatedAt: new Date(),
    });
    this.bus.publish(ctx, { type: 'tenant', tenantId: tenant.id, slug: tenant.slug });
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    const tenant = await this.get(ctx, id);
    await this.transactions.run(ctx, (ctx) => this.tenants.deleteWithEverything(ctx, tenant.id));
    this.bus.publish(ctx, { type: 'tenant', tenantId: tenant.id, slug: tenant.slug });
  }
}
