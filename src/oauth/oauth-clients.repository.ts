import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import type { RequestContext } from '../core/context/request-context';
import { OAuthClient } from './oauth-client.entity';

@Injectable()
export class OAuthClientsRepository extends TenantScopedRepository<OAuthClient> {
  constructor(dataSource: DataSource) {
    super(OAuthClient, dataSource);
  }

  /** The token endpoint's look-up: by public client_id, with the hidden hash. */
  findWithHash(ctx: RequestContext, clientId: string): Promise<OAuthClient | null> {
    return this.queryBuilder(ctx, 'c')
      .addSelect('c.secretHash')
      .andWhere('c.clientId = :clientId', { clientId })
      .getOne();
  }
}
