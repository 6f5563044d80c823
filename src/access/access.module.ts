import { Module } from '@nestjs/common';
import { ScopesModule } from '../scopes/scopes.module';
import { UserDirectoryModule } from '../users/user-directory.module';
import { WorkspaceDirectoryModule } from '../workspaces/workspace-directory.module';
import { Authority } from './authority';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { MembershipRecords } from './membership-records';
import { MembershipsRepository } from './memberships.repository';
import { PermissionResolver } from './permission-resolver';
import { RoleDirectory } from './role-directory';
import { RolesController } from './roles.controller';
import { RolesRepository } from './roles.repository';
import { RolesService } from './roles.service';

/**
 * Who holds what, and who may change it: memberships and roles (with their API), users'
 * permissions per workspace (PermissionResolver, cached for the guard chain), and the one
 * authorization rule every change to a credential, user, membership or role goes through
 * (Authority). It reads users and workspaces through their directories, below it.
 */
@Module({
  imports: [ScopesModule, UserDirectoryModule, WorkspaceDirectoryModule],
  controllers: [MembersController, RolesController],
  providers: [
    MembershipsRepository,
    RolesRepository,
    PermissionResolver,
    Authority,
    RoleDirectory,
    MembersService,
    RolesService,
    MembershipRecords,
  ],
  exports: [PermissionResolver, Authority, RoleDirectory, MembershipRecords],
})
export class AccessModule {}
