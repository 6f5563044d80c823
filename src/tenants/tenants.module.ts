import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AccessModule } from '../access/access.module';
import { UserDirectoryModule } from '../users/user-directory.module';
import { UsersModule } from '../users/users.module';
import { WorkspaceDirectoryModule } from '../workspaces/workspace-directory.module';
import { TenantsRepository } from './tenants.repository';
import { TenantProvisioner } from './tenant-provisioner';
import { TenantResolver } from './tenant-resolver';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

@Module({
  imports: [ApiKeysModule, UsersModule, AccessModule, UserDirectoryModule, WorkspaceDirectoryModule],
  controllers: [TenantsController],
  providers: [TenantsRepository, TenantResolver, TenantProvisioner, TenantsService],
  exports: [TenantResolver, TenantProvisioner, TenantsService],
})
export class TenantsModule {}
