import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext } from '../core/context/request-context';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import { Membership } from './membership.entity';

@Injectable()
export class MembershipsRepository extends TenantScopedRepository<Membership> {
  constructor(dataSource: DataSource, context: RequestContext) {
    super(Membership, dataSource, context);
  }
}
