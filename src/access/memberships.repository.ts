import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import { Membership } from './membership.entity';

@Injectable()
export class MembershipsRepository extends TenantScopedRepository<Membership> {
  constructor(dataSource: DataSource) {
    super(Membership, dataSource);
  }
}
