import { Global, Module } from '@nestjs/common';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { AuditLogsRepository } from '../audit/audit.service';
import { CustomScopesRepository } from '../scopes/custom-scopes.repository';
import { TenantsRepository } from '../tenants/tenants.repository';
import { UsersRepository } from '../users/users.repository';
import { MembershipsRepository, RolesRepository, WorkspacesRepository } from '../workspaces/workspaces.repository';

/**
 * Repositories live in their feature folders but are provided once, globally: users, workspaces
 * and keys refer to each other's rows, and this keeps the feature modules free of import cycles.
 */
const REPOSITORIES = [
  TenantsRepository,
  UsersRepository,
  WorkspacesRepository,
  MembershipsRepository,
  RolesRepository,
  ApiKeysRepository,
  CustomScopesRepository,
  AuditLogsRepository,
];

@Global()
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class RepositoriesModule {}
