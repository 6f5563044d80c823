import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { ScopesModule } from '../scopes/scopes.module';
import { TenantsModule } from '../tenants/tenants.module';
import { UserDirectoryModule } from '../users/user-directory.module';
import { WorkspaceDirectoryModule } from '../workspaces/workspace-directory.module';
import { KeyImportController } from './key-import.controller';
import { KeyImportService } from './key-import.service';

/**
 * Moving in: imports of the hashed credentials of Sanctum, the PHP admin's hex keys, Voltis and
 * Core PHP. It writes through the api-keys feature's LegacyKeyStore and records the formats on
 * the tenant; verifying them is the api-keys feature's LegacyVerifier, on the hot path.
 */
@Module({
  imports: [
    ApiKeysModule,
    AccessModule,
    ScopesModule,
    TenantsModule,
    UserDirectoryModule,
    WorkspaceDirectoryModule,
  ],
  controllers: [KeyImportController],
  providers: [KeyImportService],
  exports: [KeyImportService],
})
export class ImportsModule {}
