import { DynamicModule, Module } from '@nestjs/common';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { ConfigHolderModule } from './core/config/keygate.config';
import type { KeygateConfig } from './core/config/load-config';
import { DatabaseModule } from './database/database.module';
import { ExamplesModule } from './examples/examples.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { OAuthModule } from './oauth/oauth.module';
import { OpenApiModule } from './openapi/openapi.module';
import { CoreModule } from './core/core.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { PipelineModule } from './pipeline/pipeline.module';
import { PlatformModule } from './platform/platform.module';
import { AccessModule } from './access/access.module';
import { ScopesModule } from './scopes/scopes.module';
import { TenantsModule } from './tenants/tenants.module';
import { UsersModule } from './users/users.module';
import { WorkspacesModule } from './workspaces/workspaces.module';

const MODULES = [
  CoreModule,
  DatabaseModule,
  AuditModule,
  ScopesModule,
  AccessModule,
  TenantsModule,
  UsersModule,
  WorkspacesModule,
  ApiKeysModule,
  ImportsModule,
  OAuthModule,
  PlatformModule,
  HealthModule,
  ExamplesModule,
  DashboardModule,
  GatewayModule,
  OpenApiModule,
  PipelineModule,
];

/** The application: the configuration it was started with, then core, features and pipeline. */
@Module({})
export class AppModule {
  static forRoot(config: KeygateConfig): DynamicModule {
    return { module: AppModule, imports: [ConfigHolderModule.forRoot(config), ...MODULES] };
  }
}
