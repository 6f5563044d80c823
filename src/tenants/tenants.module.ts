import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { UsersModule } from '../users/users.module';
import { TenantProvisioner } from './tenant-provisioner';
import { TenantResolver } from './tenant-resolver';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

@Module({
  imports: [ApiKeysModule, UsersModule],
  controllers: [TenantsController],
  providers: [TenantResolver, TenantProvisioner, TenantsService],
  exports: [TenantResolver, TenantProvisioner, TenantsService],
})
export class TenantsModule {}
