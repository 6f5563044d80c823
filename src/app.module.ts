import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { keygateConfig } from './core/config/keygate.config';
import { DatabaseModule } from './database/database.module';
import { ExamplesModule } from './examples/examples.module';
import { HealthModule } from './health/health.module';
import { CoreModule } from './core/core.module';
import { PipelineModule } from './pipeline/pipeline.module';
import { PlatformModule } from './platform/platform.module';
import { AccessModule } from './access/access.module';
import { ScopesModule } from './scopes/scopes.module';
import { TenantsModule } from './tenants/tenants.module';
import { UsersModule } from './users/users.module';
import { WorkspacesModule } from './workspaces/workspaces.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [keygateConfig], cache: false }),
    CoreModule,
    DatabaseModule,
    AuditModule,
    ScopesModule,
    AccessModule,
    TenantsModule,
    UsersModule,
    WorkspacesModule,
    ApiKeysModule,
    PlatformModule,
    HealthModule,
    ExamplesModule,
    PipelineModule,
  ],
})
export class AppModule {}
