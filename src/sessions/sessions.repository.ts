import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import type { RequestContext } from '../core/context/request-context';
import { Session } from './session.entity';

@Injectable()
export class SessionsRepository extends TenantScopedRepository<Session> {
  constructor(dataSource: DataSource) {
    super(Session, dataSource);
  }

  /** The live session behind a cookie's hash, in this tenant only. */
  findByHash(ctx: RequestContext, idHash: string): Promise<Session | null> {
    return this.queryBuilder(ctx, 's')
      .andWhere('s.idHash = :idHash', { idHash })
      .andWhere('s.revokedAt IS NULL')
      .getOne();
  }
}
