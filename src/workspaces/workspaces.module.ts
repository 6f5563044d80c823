import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { UserDirectoryModule } from '../users/user-directory.module';
import { WorkspaceAccess } from './workspace-access';
import { WorkspaceDirectoryModule } from './workspace-directory.module';
import { WorkspacesController } from './workspaces.controller';
import { WorkspacesService } from './workspaces.service';

/** The workspaces API. Memberships and roles are the access feature's; the cache is below. */
@Module({
  imports: [AccessModule, ApiKeysModule, UserDirectoryModule, WorkspaceDirectoryModule],
  controllers: [WorkspacesController],
  providers: [WorkspaceAccess, WorkspacesService],
})
export class WorkspacesModule {}
