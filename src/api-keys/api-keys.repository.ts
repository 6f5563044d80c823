import { Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import type { RequestContext } from '../core/context/request-context';
import { ApiKey } from './api-key.entity';

@Injectable()
export class ApiKeysRepository extends TenantScopedRepository<ApiKey> {
  constructor(dataSource: DataSource) {
    super(ApiKey, dataSource);
  }

  /**
   * Every workspace-key row spending budget `budgetId`: the row of that id and every row of its
   * lineage (rotations, keys it minted, its clients' tokens), each once.
   */
  async spendingBudget(ctx: RequestContext, budgetId: string): Promise<ApiKey[]> {
    const rows = [
      ...(await this.find(ctx, { id: budgetId, kind: 'workspace_key' })),
      ...(await this.find(ctx, { lineageId: budgetId, kind: 'workspace_key' })),
    ];
    return rows.filter((row, i) => rows.findIndex((other) => other.id === row.id) === i);
  }

  /** The hot path's one query on a cache miss: the unique key_id index, plus the hidden hash. */
  findWithHash(ctx: RequestContext, keyId: string): Promise<ApiKey | null> {
    return this.queryBuilder(ctx, 'k')
      .addSelect('k.secretHash')
      .andWhere('k.keyId = :keyId', { keyId })
      .getOne();
  }

  /**
   * The same look-up in every tenant, for the verifier only: key ids are unique across tenants,
   * so whether an id exists at all is a fact about the id, and remembering it per id (not per
   * tenant and id) is what keeps a tenant from cycling known ids through many tenant hosts to
   * make each request a query. The verifier compares the row's tenant with the request's before
   * anything else and answers another tenant's key exactly like an unknown one.
   */
  findWithHashInAnyTenant(keyId: string): Promise<ApiKey | null> {
    return this.dataSource
      .getRepository(ApiKey)
      .createQueryBuilder('k')
      .addSelect('k.secretHash')
      .where('k.keyId = :keyId', { keyId })
      .getOne();
  }

  /** keys:prune — expired or revoked before `before`. */
  async deleteDeadBefore(ctx: RequestContext, before: Date): Promise<number> {
    return (
      (await this.delete(ctx, { expiresAt: LessThan(before) })) +
      (await this.delete(ctx, { revokedAt: LessThan(before) }))
    );
  }
}
