import { uniqueSlug } from './support/fixtures';
import { Client } from './support/http';
import { cliCreateTenant, Instance, sleep, startInstance, waitUntil } from './support/instances';
import {
  health,
  PrivateRedis,
  PrivateService,
  startPrivateMariadb,
  startPrivateRedis,
} from './support/private-services';
import { onMysql } from './support/test-app';

// jest 29 ignores a per-project testTimeout; these tests boot processes and wait for recovery.
jest.setTimeout(30_000);

/**
 * Redis and MariaDB going away under running instances. Each test starts its OWN redis-server
 * or mariadbd on a free port (throwaway data directory), so the shared services stay up.
 * Needs DATABASE_URL=mysql://… (the instances share that database in the Redis test).
 */
const describeOnMysql = onMysql ? describe : describe.skip;
const skipped = onMysql ? '' : ' (skipped: DATABASE_URL is not mysql://)';

async function newKey(
  owner: Client,
  body: Record<string, unknown> = {},
): Promise<{ id: string; key: string }> {
  const res = await owner.post('/api/v1/api-keys', { name: 'fault', scopes: ['invoices:read'], ...body });
  if (res.status !== 201) throw new Error(`creating a key answered ${res.status}: ${res.text}`);
  return { id: res.body.id, key: res.body.key };
}

/** Calls GET /api/v1/invoices on the given clients in turn until stopped; keeps every status. */
function keepCalling(clients: Client[]) {
  const statuses: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      statuses.push((await clients[i % clients.length].get('/api/v1/invoices')).status);
      await sleep(5);
    }
  })();
  return {
    statuses,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

describeOnMysql(`Redis stopped and restarted under two instances${skipped}`, () => {
  let redis: PrivateRedis;
  let a: Instance;
  let b: Instance;
  let host: string;
  let ownerA: Client;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const env = { DATABASE_URL: process.env.DATABASE_URL ?? '', REDIS_URL: redis.url };
    [a, b] = [await startInstance(env), await startInstance(env)];
    const slug = uniqueSlug('redis-fault');
    host = `${slug}.localhost`;
    ownerA = a.client(host, (await cliCreateTenant(slug, env)).token);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.destroy();
  });

  it('keeps verifying keys, falls back to in-process limits, reports it, and recovers by itself', async () => {
    const { key } = await newKey(ownerA, { rate_limit: { limit: 100000, window_seconds: 3600 } });
    const calls = keepCalling([a.client(host, key), b.client(host, key)]);
    await sleep(200);
    await redis.stop();
    expect(
      await waitUntil(
        async () => (await health(a.port)).redis === 'down' && (await health(b.port)).redis === 'down',
        5000,
      ),
    ).toBe(true);
    expect(await health(a.port)).toMatchObject({ status: 'ok', database: 'up', redis: 'down' });
    // A key never seen before works during the outage, and is still counted (in process).
    const fresh = await newKey(ownerA, { rate_limit: { limit: 2, window_seconds: 60 } });
    const onB = b.client(host, fresh.key);
    expect([(await onB.get('/api/v1/invoices')).status, (await onB.get('/api/v1/invoices')).status]).toEqual([
      200, 200,
    ]);
    const limited = await onB.get('/api/v1/invoices');
    expect(limited.status).toBe(429);
    await sleep(300);
    await redis.start();
    expect(
      await waitUntil(
        async () => (await health(a.port)).redis === 'up' && (await health(b.port)).redis === 'up',
        10_000,
      ),
    ).toBe(true);
    await sleep(200);
    await calls.stop();
    expect(calls.statuses.length).toBeGreaterThan(20);
    expect(calls.statuses.filter((s) => s !== 200)).toEqual([]);
    expect(a.output()).toMatch(/Redis unreachable/);
    expect(a.output()).toMatch(/Redis is back/);
  });

  it('after recovery, shares budgets and broadcasts invalidations again', async () => {
    const { key } = await newKey(ownerA, { rate_limit: { limit: 4, window_seconds: 60 } });
    const clients = [a.client(host, key), b.client(host, key)];
    const statuses = (
      await Promise.all(Array.from({ length: 10 }, (_, i) => clients[i % 2].get('/api/v1/invoices')))
    ).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);

    const revocable = await newKey(ownerA);
    const onB = b.client(host, revocable.key);
    expect((await onB.get('/api/v1/invoices')).status).toBe(200);
    expect((await ownerA.post(`/api/v1/api-keys/${revocable.id}/revoke`, {})).status).toBeLessThan(300);
    expect(await waitUntil(async () => (await onB.get('/api/v1/invoices')).status === 401, 1000)).toBe(true);
  });
});

describeOnMysql(`Redis stalled with its connections open${skipped}`, () => {
  let redis: PrivateRedis;
  let app: Instance;
  let host: string;
  let owner: Client;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const env = { DATABASE_URL: process.env.DATABASE_URL ?? '', REDIS_URL: redis.url };
    app = await startInstance(env);
    const slug = uniqueSlug('redis-stall');
    host = `${slug}.localhost`;
    owner = app.client(host, (await cliCreateTenant(slug, env)).token);
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await redis?.destroy();
  });

  const count = (pattern: RegExp) => (app.output().match(pattern) ?? []).length;

  it('logs the end of a stall (no reconnect happens), so the next stall is logged too', async () => {
    const { key } = await newKey(owner, { rate_limit: { limit: 100000, window_seconds: 3600 } });
    const calls = keepCalling([app.client(host, key)]);
    for (let stall = 1; stall <= 2; stall++) {
      redis.pause();
      expect(await waitUntil(async () => count(/Redis unreachable/g) === stall, 5000)).toBe(true);
      redis.resume();
      expect(await waitUntil(async () => count(/Redis is back/g) === stall, 5000)).toBe(true);
    }
    await calls.stop();
    expect(calls.statuses.filter((s) => s !== 200)).toEqual([]);
    // Timed-out commands, not a closed connection: the recovery came from commands succeeding.
    expect(app.output()).toMatch(/timed out/i);
  });
});

describeOnMysql(`MariaDB restarted under a running instance${skipped}`, () => {
  let mariadb: PrivateService;
  let app: Instance;
  let host: string;
  let owner: Client;

  beforeAll(async () => {
    mariadb = await startPrivateMariadb('keygate_fault');
    const env = { DATABASE_URL: mariadb.url };
    app = await startInstance(env);
    const slug = uniqueSlug('db-fault');
    host = `${slug}.localhost`;
    owner = app.client(host, (await cliCreateTenant(slug, env)).token);
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await mariadb?.destroy();
  });

  it('serves cached keys, answers 503 for uncached ones while the database is away, and recovers without a restart', async () => {
    const cached = await newKey(owner);
    const uncached = await newKey(owner);
    expect((await app.client(host, cached.key).get('/api/v1/invoices')).status).toBe(200);

    await mariadb.stop();
    expect(await health(app.port)).toMatchObject({ status: 'degraded', database: 'down' });
    const stillCached = await app.client(host, cached.key).get('/api/v1/invoices');
    expect(stillCached.status).toBe(200);
    const unavailable = await app.client(host, uncached.key).get('/api/v1/invoices');
    expect(unavailable.status).toBe(503);
    expect(unavailable.body).toEqual({ message: 'Service Unavailable.' });
    expect(unavailable.text).not.toMatch(/at .*\.(ts|js):\d+|ECONNREFUSED|stack/i);

    await mariadb.start();
    expect(
      await waitUntil(
        async () => (await app.client(host, uncached.key).get('/api/v1/invoices')).status === 200,
        15_000,
      ),
    ).toBe(true);
    expect((await app.client(host, cached.key).get('/api/v1/invoices')).status).toBe(200);
    expect(await health(app.port)).toMatchObject({ status: 'ok', database: 'up' });
  });
});
