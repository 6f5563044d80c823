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
import { RequestContext } from '../context/request-context';

interface TenantOwned {
  tenantId: string;
}

/**
 * Tenant scoping, in one place: every read and write adds the tenant of the request context to
 * its WHERE, and with no tenant in the context it throws instead of reaching every tenant's rows.
 * Feature repositories extend this and never touch TypeORM's repository directly.
 */
export abstract class TenantScopedRepository<T extends TenantOwned> {
  protected constructor(
    private readonly entity: EntityTarget<T>,
    protected readonly dataSource: DataSource,
    protected readonly context: RequestContext,
  ) {}

  /** The current transaction's manager when inside TransactionRunner.run, else the pool's. */
  protected manager(): EntityManager {
    return this.context.entityManager() ?? this.dataSource.manager;
  }

  protected repository(): Repository<T> {
    return this.manager().getRepository(this.entity);
  }

  protected scoped(where: FindOptionsWhere<T> = {}): FindOptionsWhere<T> {
    return { ...where, tenantId: this.context.tenantId() };
  }

  async find(where: FindOptionsWhere<T> = {}, options: Omit<FindManyOptions<T>, 'where'> = {}): Promise<T[]> {
    return this.repository().find({ ...options, where: this.scoped(where) });
  }

  async findOne(where: FindOptionsWhere<T>): Promise<T | null> {
    return this.repository().findOne({ where: this.scoped(where) });
  }

  /** The row, or the 404 that another tenant's id must produce. */
  async findOneOrFail(where: FindOptionsWhere<T>): Promise<T> {
    const row = await this.findOne(where);
    if (!row) throw new NotFoundError();
    return row;
  }

  async count(where: FindOptionsWhere<T> = {}): Promise<number> {
    return this.repository().count({ where: this.scoped(where) });
  }

  async insert(row: Omit<T, 'tenantId'>): Promise<T> {
    const full = { ...row, tenantId: this.context.tenantId() } as T;
    await this.repository().insert(full as QueryDeepPartialEntity<T>);
    return full;
  }

  /** Returns the number of rows changed, so callers can detect lost races. */
  async update(where: FindOptionsWhere<T>, patch: QueryDeepPartialEntity<T>): Promise<number> {
    const result = await this.repository().update(this.scoped(where), patch);
    return result.affected ?? 0;
  }

  async delete(where: FindOptionsWhere<T>): Promise<number> {
    const result = await this.repository().delete(this.scoped(where));
    return result.affected ?? 0;
  }

  /** A query builder that already filters by tenant; add conditions with `andWhere`. */
  queryBuilder(alias: string): SelectQueryBuilder<T> {
    return this.repository()
      .createQueryBuilder(alias)
      .where(`${alias}.tenantId = :tenantId`, { tenantId: this.context.tenantId() });
  }
}
