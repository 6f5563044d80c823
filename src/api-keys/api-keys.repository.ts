import { Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import { RequestContext } from '../core/context/request-context';
import { ApiKey } from './api-key.entity';

@Injectable()
export class ApiKeysRepository extends TenantScopedRepository<ApiKey> {
  constructor(dataSource: DataSource, context: RequestContext) {
    super(ApiKey, dataSource, context);
  }

  /** The hot path's one query on a cache miss: the unique key_id index, plus the hidden hash. */
  findWithHash(keyId: string): Promise<ApiKey | null> {
    return this.queryBuilder('k').addSelect('k.secretHash').andWhere('k.keyId = :keyId', { keyId }).getOne();
  }

  /** keys:prune — expired or revoked before `before`. */
  async deleteDeadBefore(before: Date): Promise<number> {
    return (
      (await this.delete({ expiresAt: LessThan(before) })) +
      (await this.delete({ revokedAt: LessThan(before) }))
    );
  }
}
