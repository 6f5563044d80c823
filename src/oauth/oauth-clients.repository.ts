import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import { RequestContext } from '../core/context/request-context';
import { OAuthClient } from './oauth-client.entity';

@Injectable()
export class OAuthClientsRepository extends TenantScopedRepository<OAuthClient> {
  constructor(dataSource: DataSource, context: RequestContext) {
    super(OAuthClient, dataSource, context);
  }

  /** The token endpoint's look-up: by public client_id, with the hidden hash. */
  findWithHash(clientId: string): Promise<OAuthClient | null> {
    return this.queryBuilder('c')
      .addSelect('c.secretHash')
      .andWhere('c.clientId = :clientId', { clientId })
      .getOne();
  }
}
