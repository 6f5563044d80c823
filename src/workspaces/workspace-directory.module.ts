import { Module } from '@nestjs/common';
import { WorkspaceCache } from './workspace-cache';
import { WorkspaceDirectory } from './workspace-directory';
import { WorkspacesRepository } from './workspaces.repository';

/**
 * The lower half of the workspaces feature: its repository, the cache the guard chain reads, and
 * the directory other features read. WorkspacesModule (the API) sits above AccessModule.
 */
@Module({
  providers: [WorkspacesRepository, WorkspaceCache, WorkspaceDirectory],
  exports: [WorkspacesRepository, WorkspaceCache, WorkspaceDirectory],
})
export class WorkspaceDirectoryModule {}
