import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import { CustomScope } from './custom-scope.entity';

@Injectable()
export class CustomScopesRepository extends TenantScopedRepository<CustomScope> {
  constructor(dataSource: DataSource) {
    super(CustomScope, dataSource);
  }
}
