import {
  DataSource,
  EntityManager,
  EntityTarget,
  FindManyOptions,
  FindOptionsWhere,
  Repository,
  SelectQueryBuilder,
} from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { NotFoundError } from '../errors';
import type { RequestContext } from '../context/request-context';

interface TenantOwned {
  tenantId: string;
}

/**
 * Tenant scoping, in one place: every read and write takes the request context as its first
 * argument and adds the context's tenant to its WHERE; with no tenant in the context it throws
 * instead of reaching every tenant's rows. Inside a transaction (TransactionRunner) the context
 * also brings the transaction's manager. Feature repositories extend this and never touch
 * TypeORM's repository directly.
 */
export abstract class TenantScopedRepository<T extends TenantOwned> {
  protected constructor(
    private readonly entity: EntityTarget<T>,
    protected readonly dataSource: DataSource,
  ) {}

  /** The current transaction's manager when inside TransactionRunner.run, else the pool's. */
  protected manager(ctx: RequestContext): EntityManager {
    return ctx.entityManager() ?? this.dataSource.manager;
  }

  protected repository(ctx: RequestContext): Repository<T> {
    return this.manager(ctx).getRepository(this.entity);
  }

  protected scoped(ctx: RequestContext, where: FindOptionsWhere<T> = {}): FindOptionsWhere<T> {
    return { ...where, tenantId: ctx.tenantId() };
  }

  async find(
    ctx: RequestContext,
    where: FindOptionsWhere<T> = {},
    options: Omit<FindManyOptions<T>, 'where'> = {},
  ): Promise<T[]> {
    return this.repository(ctx).find({ ...options, where: this.scoped(ctx, where) });
  }

  async findOne(ctx: RequestContext, where: FindOptionsWhere<T>): Promise<T | null> {
    return this.repository(ctx).findOne({ where: this.scoped(ctx, where) });
  }

  /** The row, or the 404 that another tenant's id must produce. */
  async findOneOrFail(ctx: RequestContext, where: FindOptionsWhere<T>): Promise<T> {
    const row = await this.findOne(ctx, where);
    if (!row) throw new NotFoundError();
    return row;
  }

  async count(ctx: RequestContext, where: FindOptionsWhere<T> = {}): Promise<number> {
    return this.repository(ctx).count({ where: this.scoped(ctx, where) });
  }

  async insert(ctx: RequestContext, row: Omit<T, 'tenantId'>): Promise<T> {
    const full = { ...row, tenantId: ctx.tenantId() } as T;
    await this.repository(ctx).insert(full as QueryDeepPartialEntity<T>);
    return full;
  }

  /** Returns the number of rows changed, so callers can detect lost races. */
  async update(
    ctx: RequestContext,
    where: FindOptionsWhere<T>,
    patch: QueryDeepPartialEntity<T>,
  ): Promise<number> {
    const result = await this.repository(ctx).update(this.scoped(ctx, where), patch);
    return result.affected ?? 0;
  }

  async delete(ctx: RequestContext, where: FindOptionsWhere<T>): Promise<number> {
    const result = await this.repository(ctx).delete(this.scoped(ctx, where));
    return result.affected ?? 0;
  }

  /** A query builder that already filters by tenant; add conditions with `andWhere`. */
  queryBuilder(ctx: RequestContext, alias: string): SelectQueryBuilder<T> {
    return this.repository(ctx)
      .createQueryBuilder(alias)
      .where(`${alias}.tenantId = :tenantId`, { tenantId: ctx.tenantId() });
  }
}
