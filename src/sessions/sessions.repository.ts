import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import { RequestContext } from '../core/context/request-context';
import { Session } from './session.entity';

@Injectable()
export class SessionsRepository extends TenantScopedRepository<Session> {
  constructor(dataSource: DataSource, context: RequestContext) {
    super(Session, dataSource, context);
  }

  /** The live session behind a cookie's hash, in this tenant only. */
  findByHash(idHash: string): Promise<Session | null> {
    return this.queryBuilder('s')
      .andWhere('s.idHash = :idHash', { idHash })
      .andWhere('s.revokedAt IS NULL')
      .getOne();
  }
}
