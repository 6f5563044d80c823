import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import { Workspace } from './workspace.entity';

@Injectable()
export class WorkspacesRepository extends TenantScopedRepository<Workspace> {
  constructor(dataSource: DataSource) {
    super(Workspace, dataSource);
  }
}
