import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { RequestContext } from '../core/context/request-context';
import { Tenant } from './tenant.entity';

/** Tenants are the root of scoping, so this is the one repository that is not tenant-scoped. */
@Injectable()
export class TenantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repository(ctx: RequestContext): Repository<Tenant> {
    return (ctx.entityManager() ?? this.dataSource.manager).getRepository(Tenant);
  }

  findBySlug(ctx: RequestContext, slug: string): Promise<Tenant | null> {
    return this.repository(ctx).findOne({ where: { slug } });
  }

  findById(ctx: RequestContext, id: string): Promise<Tenant | null> {
    return this.repository(ctx).findOne({ where: { id } });
  }

  async insert(ctx: RequestContext, tenant: Tenant): Promise<void> {
    await this.repository(ctx).insert(tenant);
  }

  async update(
    ctx: RequestContext,
    id: string,
    patch: Partial<Pick<Tenant, 'name' | 'status' | 'legacyFormats' | 'updatedAt'>>,
  ): Promise<void> {
    await this.repository(ctx).update({ id }, patch);
  }

  /** Keyset page ordered by id (ids sort by creation time). */
  page(ctx: RequestContext, afterId: string | null, limit: number): Promise<Tenant[]> {
    const qb = this.repository(ctx).createQueryBuilder('t').orderBy('t.id', 'ASC').take(limit);
    if (afterId) qb.where('t.id > :afterId', { afterId });
    return qb.getMany();
  }

  /** Removes the tenant and every row it owns (every tenant-owned table has `tenant_id`). */
  async deleteWithEverything(ctx: RequestContext, id: string): Promise<void> {
    const manager = ctx.entityManager() ?? this.dataSource.manager;
    for (const meta of this.dataSource.entityMetadatas) {
      if (meta.findColumnWithPropertyName('tenantId')) {
        await manager
          .createQueryBuilder()
          .delete()
          .from(meta.target)
          .where('tenant_id = :id', { id })
          .execute();
      }
    }
    await manager.getRepository(Tenant).delete({ id });
  }
}
