import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { PlatformModule } from '../platform/platform.module';
import { RedisModule } from '../redis/redis.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenantsModule } from '../tenants/tenants.module';
import { AccessModule } from '../access/access.module';
import { WorkspaceDirectoryModule } from '../workspaces/workspace-directory.module';
import { GUARD_CHAIN } from './guard-chain';
import { RoutePolicyRegistry } from './route-policy.registry';
import { HttpErrorFilter } from './http-error.filter';
import { RateLimitModule } from '../rate-limits/rate-limit.module';
import { createValidationPipe } from './validation.pipe';

/**
 * The request pipeline: the guard chain in its order, the validation pipe and the error filter.
 * RedisModule (global) is imported here because the pipeline is what needs it: shared rate-limit
 * counters and cross-instance cache invalidation.
 */
@Module({
  imports: [
    DiscoveryModule,
    TenantsModule,
    ApiKeysModule,
    AccessModule,
    WorkspaceDirectoryModule,
    PlatformModule,
    RedisModule,
    RateLimitModule,
    SessionsModule,
  ],
  providers: [
    ...GUARD_CHAIN.map((guard) => ({ provide: APP_GUARD, useClass: guard })),
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: HttpErrorFilter },
    RoutePolicyRegistry,
  ],
})
export class PipelineModule {}
