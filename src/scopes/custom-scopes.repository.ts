import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import { RequestContext } from '../core/context/request-context';
import { CustomScope } from './custom-scope.entity';

@Injectable()
export class CustomScopesRepository extends TenantScopedRepository<CustomScope> {
  constructor(dataSource: DataSource, context: RequestContext) {
    super(CustomScope, dataSource, context);
  }
}
