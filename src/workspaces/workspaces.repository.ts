import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import { RequestContext } from '../core/context/request-context';
import { Membership } from './membership.entity';
import { Role } from './role.entity';
import { Workspace } from './workspace.entity';

@Injectable()
export class WorkspacesRepository extends TenantScopedRepository<Workspace> {
  constructor(dataSource: DataSource, context: RequestContext) {
    super(Workspace, dataSource, context);
  }
}

@Injectable()
export class MembershipsRepository extends TenantScopedRepository<Membership> {
  constructor(dataSource: DataSource, context: RequestContext) {
    super(Membership, dataSource, context);
  }
}

@Injectable()
export class RolesRepository extends TenantScopedRepository<Role> {
  constructor(dataSource: DataSource, context: RequestContext) {
    super(Role, dataSource, context);
  }
}
