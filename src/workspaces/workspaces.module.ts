import { Module } from '@nestjs/common';
import { ScopesModule } from '../scopes/scopes.module';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { AccessModule } from '../access/access.module';
import { RoleDirectory } from './role-directory';
import { RolesController } from './roles.controller';
import { RolesService } from './roles.service';
import { WorkspaceAccess } from './workspace-access';
import { WorkspaceCache } from './workspace-cache';
import { WorkspacesController } from './workspaces.controller';
import { WorkspacesService } from './workspaces.service';

/** Workspaces, memberships and roles; the permission pieces are exported for the guard and users. */
@Module({
  imports: [ScopesModule, AccessModule],
  controllers: [WorkspacesController, MembersController, RolesController],
  providers: [
    WorkspaceCache,
    RoleDirectory,
    WorkspaceAccess,
    WorkspacesService,
    MembersService,
    RolesService,
  ],
  exports: [AccessModule, WorkspaceCache, RoleDirectory, WorkspaceAccess],
})
export class WorkspacesModule {}
