import { Global, Module } from '@nestjs/common';
import { RedisConnection } from './redis-connection';
import { RedisInvalidationBroadcaster } from './redis-invalidation.broadcaster';

/**
 * Redis, when REDIS_URL is set: the connection (shared rate-limit counters, see
 * rate-limits/rate-limit.module.ts) and cross-instance cache invalidation. Without REDIS_URL both
 * providers do nothing and the app runs in one process.
 */
@Global()
@Module({
  providers: [RedisConnection, RedisInvalidationBroadcaster],
  exports: [RedisConnection],
})
export class RedisModule {}
