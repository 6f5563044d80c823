import { RedisConnection } from '../src/redis/redis-connection';
import { RedisRateLimitStorage } from '../src/rate-limits/redis-rate-limit.storage';
import type { KeygateConfig } from '../src/core/config/load-config';

const redisUrl = process.env.REDIS_URL;
const describeOnRedis = redisUrl ? describe : describe.skip;

/**
 * The shared counter against a real Redis: hits of one event-loop turn leave as one pipeline,
 * a lone hit as one command, and either way a budget of `limit` lets exactly `limit` through.
 */
describeOnRedis(`Redis rate-limit counters${redisUrl ? '' : ' (skipped: REDIS_URL is not set)'}`, () => {
  let connection: RedisConnection;
  let storage: RedisRateLimitStorage;
  const prefix = `kg-test-${Date.now().toString(36)}-${process.pid}:`;

  beforeAll(async () => {
    connection = new RedisConnection({ redisUrl } as KeygateConfig);
    await new Promise<void>((resolve) => connection.client!.once('ready', () => resolve()));
    storage = new RedisRateLimitStorage(connection, undefined, prefix);
  });
  afterAll(() => connection.onApplicationShutdown());
  const hit = (key: string, ttl: number, limit: number) => Promise.resolve(storage.hit(key, ttl, limit));

  it('counts hits sent in one turn exactly, each with its own count', async () => {
    const hits = await Promise.all(Array.from({ length: 40 }, () => hit('burst', 60_000, 25)));
    expect(hits.map((h) => h.totalHits).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    expect(hits.filter((h) => !h.isBlocked)).toHaveLength(25);
    expect(hits.every((h) => h.resetAt > Date.now() && h.resetAt <= Date.now() + 60_000)).toBe(true);
  });

  it('counts lone hits, turn after turn, on the same window', async () => {
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) counts.push((await hit('lone', 60_000, 3)).totalHits);
    expect(counts).toEqual([1, 2, 3, 4, 5]);
    expect((await hit('lone', 60_000, 3)).isBlocked).toBe(true);
  });

  it('keeps the keys of one pipeline apart', async () => {
    const [a, b, a2] = await Promise.all([hit('a', 60_000, 10), hit('b', 60_000, 10), hit('a', 60_000, 10)]);
    expect([a.totalHits, a2.totalHits].sort()).toEqual([1, 2]);
    expect(b.totalHits).toBe(1);
  });
});
