import { ThrottlerModule } from '@nestjs/throttler';
import { RedisConnection } from '../redis/redis-connection';
import { RedisRateLimitStorage } from './redis-rate-limit.storage';
import { rateLimitOptions } from './rate-limit.options';
import { InMemoryRateLimitStorage, RateLimitStorage } from './rate-limit.store';

/** Counters in Redis when REDIS_URL is set (falling back to memory while it is away), else in memory. */
export function rateLimitStorage(redis: RedisConnection): RateLimitStorage {
  return redis.client ? new RedisRateLimitStorage(redis) : new InMemoryRateLimitStorage();
}

/** @nestjs/throttler, configured for RateLimitGuard (the last link of the guard chain). */
export const RateLimitModule = ThrottlerModule.forRootAsync({
  inject: [RedisConnection],
  useFactory: (redis: RedisConnection) => rateLimitOptions(rateLimitStorage(redis)),
});
