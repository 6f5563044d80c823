import { RedisConnection } from '../src/redis/redis-connection';
import { RedisRateLimitStorage } from '../src/rate-limits/redis-rate-limit.storage';
import type { KeygateConfig } from '../src/core/config/load-config';
import type { RateLimitRecord } from '../src/rate-limits/rate-limit.store';

const redisUrl = process.env.REDIS_URL;
const describeOnRedis = redisUrl ? describe : describe.skip;

/**
 * The shared counter against a real Redis: hits of one event-loop turn leave as one pipeline,
 * a lone hit as one command, and either way a budget of `limit` lets exactly `limit` through.
 */
describeOnRedis(`Redis rate-limit counters${redisUrl ? '' : ' (skipped: REDIS_URL is not set)'}`, () => {
  let connection: RedisConnection;
  let storage: RedisRateLimitStorage;
  // A second instance: its own connection and its own leases, the same Redis keys.
  let otherConnection: RedisConnection;
  let other: RedisRateLimitStorage;
  const prefix = `kg-test-${Date.now().toString(36)}-${process.pid}:`;

  async function connected(): Promise<RedisConnection> {
    const opened = new RedisConnection({ redisUrl } as KeygateConfig);
    await new Promise<void>((resolve) => opened.client!.once('ready', () => resolve()));
    return opened;
  }

  beforeAll(async () => {
    connection = await connected();
    storage = new RedisRateLimitStorage(connection, undefined, prefix);
    otherConnection = await connected();
    other = new RedisRateLimitStorage(otherConnection, undefined, prefix);
  });
  afterAll(() => {
    connection.onApplicationShutdown();
    otherConnection.onApplicationShutdown();
  });
  const hit = (key: string, ttl: number, limit: number) => Promise.resolve(storage.hit(key, ttl, limit));

  it('counts hits sent in one turn exactly, each with its own count', async () => {
    const hits = await Promise.all(Array.from({ length: 40 }, () => hit('burst', 60_000, 25)));
    const allowed = hits.filter((h) => !h.isBlocked);
    expect(allowed.map((h) => h.totalHits).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    // Refused hits are given back: each saw the count one past the limit.
    expect(hits.filter((h) => h.isBlocked).map((h) => h.totalHits)).toEqual(Array(15).fill(26));
    expect(hits.every((h) => h.resetAt > Date.now() && h.resetAt <= Date.now() + 60_000)).toBe(true);
  });

  it('counts lone hits, turn after turn, on the same window', async () => {
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) counts.push((await hit('lone', 60_000, 3)).totalHits);
    expect(counts).toEqual([1, 2, 3, 4, 4]);
    expect((await hit('lone', 60_000, 3)).isBlocked).toBe(true);
    // The refusals spent nothing: a limit raised now lets the next hit through at once.
    expect(await hit('lone', 60_000, 5)).toMatchObject({ totalHits: 4, isBlocked: false });
    expect(Number(await connection.client!.get(`${prefix}lone`))).toBe(4);
  });

  it('tells what a window has spent without spending any of it', async () => {
    expect(await storage.peek('peeked')).toBeNull();
    await hit('peeked', 60_000, 10);
    await hit('peeked', 60_000, 10);
    const seen = await storage.peek('peeked');
    expect(seen?.count).toBe(2);
    expect(seen!.resetAt).toBeGreaterThan(Date.now());
    expect((await storage.peek('peeked'))?.count).toBe(2);
  });

  it('keeps the keys of one pipeline apart', async () => {
    const [a, b, a2] = await Promise.all([hit('a', 60_000, 10), hit('b', 60_000, 10), hit('a', 60_000, 10)]);
    expect([a.totalHits, a2.totalHits].sort()).toEqual([1, 2]);
    expect(b.totalHits).toBe(1);
  });

  /**
   * Both instances hit `key` `perTick` times every 5 ms for `ms`; returns every record, how many
   * were answered without waiting for Redis (from a lease), and how many of those in the last
   * 200 ms.
   */
  async function hammer(key: string, limit: number, perTick: number, ms: number) {
    const records: RateLimitRecord[] = [];
    const waited: Promise<unknown>[] = [];
    const lastStretch = { sync: 0, all: 0 };
    let leased = 0;
    const start = Date.now();
    while (Date.now() - start < ms) {
      const late = Date.now() - start > ms - 200;
      for (const instance of [storage, other])
        for (let i = 0; i < perTick; i++) {
          const record = instance.hit(key, 60_000, limit);
          if (late) lastStretch.all++;
          if (record instanceof Promise) waited.push(record.then((r) => records.push(r)));
          else {
            records.push(record);
            leased++;
            if (late) lastStretch.sync++;
          }
        }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all(waited);
    await new Promise((resolve) => setTimeout(resolve, 50)); // leases still on their way
    return { records, lastStretch, leased };
  }

  it('answers a busy key from leased counts, without a round trip a request, counting each once', async () => {
    const { records, lastStretch } = await hammer('busy', 1_000_000, 10, 1500);
    expect(lastStretch.sync / lastStretch.all).toBeGreaterThan(0.9);
    const counts = records.map((r) => r.totalHits);
    expect(new Set(counts).size).toBe(counts.length); // no count handed out twice
    // Redis counted every hit, plus at most the unused rest of each instance's two leases.
    const inRedis = Number(await connection.client!.get(`${prefix}busy`));
    expect(inRedis).toBeGreaterThanOrEqual(records.length);
    expect(inRedis - records.length).toBeLessThanOrEqual(2 * 2 * 1000);
  });

  it('lets exactly `limit` hits through across two instances holding leases', async () => {
    // At most 4,000 hits a second on each side (20 every 5 ms) against a budget of 12,000: the
    // first second counts hit by hit and leaves some 4,000 or more, leases are in play from the
    // second, and the budget runs out while both instances still hold some.
    const { records, leased } = await hammer('edge', 12_000, 20, 3000);
    expect(leased).toBeGreaterThan(500);
    const allowed = records.filter((r) => !r.isBlocked);
    expect(records.length).toBeGreaterThan(12_000);
    expect(allowed).toHaveLength(12_000);
    expect(new Set(allowed.map((r) => r.totalHits)).size).toBe(12_000);
    expect(Math.max(...allowed.map((r) => r.totalHits))).toBe(12_000);
    // Past the budget, the counter stays at it: refusals and unusable lease counts given back.
    expect(Number(await connection.client!.get(`${prefix}edge`))).toBe(12_000);
  });
});
