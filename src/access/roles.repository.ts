import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import { Role } from './role.entity';

@Injectable()
export class RolesRepository extends TenantScopedRepository<Role> {
  constructor(dataSource: DataSource) {
    super(Role, dataSource);
  }
}
