import { Global, Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { RedisConnection } from './redis-connection';
import { RedisInvalidationBroadcaster } from './redis-invalidation.broadcaster';

/**
 * Redis, when REDIS_URL is set: the connection (shared rate-limit counters, see
 * pipeline/rate-limit.module.ts) and cross-instance cache invalidation. Without REDIS_URL both
 * providers do nothing and the app runs in one process.
 */
@Global()
@Module({
  imports: [ApiKeysModule],
  providers: [RedisConnection, RedisInvalidationBroadcaster],
  exports: [RedisConnection],
})
export class RedisModule {}
