import { Module } from '@nestjs/common';
import { ScopesModule } from '../scopes/scopes.module';
import { PermissionResolver } from './permission-resolver';
import { WorkspaceCache } from './workspace-cache';

@Module({
  imports: [ScopesModule],
  providers: [PermissionResolver, WorkspaceCache],
  exports: [PermissionResolver, WorkspaceCache],
})
export class WorkspacesModule {}
