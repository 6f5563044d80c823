import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { InMemoryRateLimitStorage, RateLimitRecord, RateLimitStorage, toRecord } from './rate-limit.store';
import type { RedisConnection } from '../redis/redis-connection';

/**
 * One fixed window per key, started by its first hit: INCR, and PEXPIRE when the INCR created
 * the key, in one Lua script, so concurrent hits from any number of instances are counted exactly
 * and a budget of `limit` lets exactly `limit` requests through. (The PTTL < 0 branch repairs a
 * key that lost its expiry, so a budget can never stay exhausted forever.)
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

type WithHit = Redis & { keygateHit(key: string, ttl: number): Promise<[number, number]> };

/**
 * Rate-limit counters shared by every instance. While Redis is unreachable each instance counts
 * in its own memory (a budget then holds per instance, not across them) and goes back to Redis
 * as soon as the connection is ready again.
 */
export class RedisRateLimitStorage implements RateLimitStorage {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: WithHit;

  constructor(
    private readonly connection: RedisConnection,
    private readonly fallback = new InMemoryRateLimitStorage(),
    private readonly prefix = 'keygate:',
  ) {
    this.redis = connection.client as WithHit;
    this.redis.defineCommand('keygateHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  }

  increment(key: string, ttl: number, limit: number): Promise<RateLimitRecord> {
    return Promise.resolve(this.hit(key, ttl, limit));
  }

  /** In process (synchronously) while Redis is away, else one round trip to the script. */
  hit(key: string, ttl: number, limit: number): RateLimitRecord | Promise<RateLimitRecord> {
    if (!this.connection.isUp()) return this.fallback.hit(key, ttl, limit);
    return this.redis.keygateHit(this.prefix + key, ttl).then(
      ([count, remainingMs]) => {
        this.connection.reportRecovery();
        const now = Date.now();
        return toRecord(count, now + remainingMs, limit, now);
      },
      (error: unknown) => {
        this.connection.reportFailure('rate-limit counter', error);
        this.logger.debug(`counted in process: ${(error as Error).message}`);
        return this.fallback.hit(key, ttl, limit);
      },
    );
  }
}
