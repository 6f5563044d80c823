import { createPlatformKey, createTenant, TenantFixture } from './support/fixtures';
import { Reply } from './support/http';
import { createKey, sleep } from './support/keys';
import { startApp, TestApp } from './support/test-app';

// jest 29 ignores a per-project testTimeout; these tests boot processes and wait for recovery.
jest.setTimeout(30_000);

const TOO_MANY = { message: 'Too Many Attempts.' };
const nowSeconds = () => Math.floor(Date.now() / 1000);

function budgetOf(res: Reply) {
  return {
    limit: Number(res.headers['x-ratelimit-limit']),
    remaining: Number(res.headers['x-ratelimit-remaining']),
    reset: Number(res.headers['x-ratelimit-reset']),
  };
}

describe('rate limits per credential (@nestjs/throttler, last link of the guard chain)', () => {
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await startApp({
      RATE_LIMIT_TIERS: 'free=5/60,pro=8/60,enterprise=unlimited',
      RATE_LIMIT_DEFAULT: '40/120',
    });
    acme = await createTenant(t);
  });
  afterAll(() => t.close());

  const keyClient = (key: string) => t.client(acme.host, key);

  it('puts X-RateLimit-Limit, -Remaining and -Reset (Unix seconds) on every authenticated response', async () => {
    const { key } = await createKey(acme.owner, {
      scopes: ['invoices:read', 'invoices:create', 'api-keys:read'],
    });
    const before = nowSeconds();
    const responses = [
      await keyClient(key).get('/api/v1/invoices'),
      await keyClient(key).post('/api/v1/invoices', { customer: 'c', amount: 1 }),
      await keyClient(key).get('/api/v1/api-keys'),
      await keyClient(key).post('/api/v1/invoices', { customer: '', amount: -1 }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 201, 200, 422]);
    for (const res of responses) {
      const budget = budgetOf(res);
      expect(budget.limit).toBe(40);
      expect(budget.reset).toBeGreaterThanOrEqual(before + 119);
      expect(budget.reset).toBeLessThanOrEqual(nowSeconds() + 121);
    }
    // One budget across every route: each call, whatever its route, took one unit from the same window.
    expect(responses.map((r) => budgetOf(r).remaining)).toEqual([39, 38, 37, 36]);
    expect(new Set(responses.map((r) => budgetOf(r).reset)).size).toBe(1);
  });

  it('answers 429 "Too Many Attempts." with a plain Retry-After once the budget is spent', async () => {
    const { key } = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      rate_limit: { limit: 3, window_seconds: 60 },
    });
    const allowed = [];
    for (let i = 0; i < 3; i++) allowed.push(await keyClient(key).get('/api/v1/invoices'));
    expect(allowed.map((r) => [r.status, budgetOf(r).remaining])).toEqual([
      [200, 2],
      [200, 1],
      [200, 0],
    ]);
    const limited = await keyClient(key).get('/api/v1/invoices');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual(TOO_MANY);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(Object.keys(limited.headers).filter((h) => h.startsWith('retry-after'))).toEqual(['retry-after']);
    expect(budgetOf(limited)).toMatchObject({ limit: 3, remaining: 0 });
    // Another route is no way around it.
    expect((await keyClient(key).get('/api/v1/auth/me')).status).toBe(429);
    // Other credentials of the same tenant keep their own budget.
    expect((await acme.owner.get('/api/v1/invoices')).status).toBe(200);
  });

  it('gives a new budget when the window ends', async () => {
    const { key } = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      rate_limit: { limit: 1, window_seconds: 1 },
    });
    expect((await keyClient(key).get('/api/v1/invoices')).status).toBe(200);
    expect((await keyClient(key).get('/api/v1/invoices')).status).toBe(429);
    await sleep(1100);
    expect((await keyClient(key).get('/api/v1/invoices')).status).toBe(200);
  });

  it('takes the limit from the tier, the per-key override before the tier, and the default otherwise', async () => {
    const free = await createKey(acme.owner, { scopes: ['invoices:read'], rate_limit_tier: 'free' });
    const pro = await createKey(acme.owner, { scopes: ['invoices:read'], rate_limit_tier: 'pro' });
    const overridden = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      rate_limit_tier: 'pro',
      rate_limit: { limit: 2, window_seconds: 30 },
    });
    const plain = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const first = async (key: string) => budgetOf(await keyClient(key).get('/api/v1/invoices'));
    expect(await first(free.key)).toMatchObject({ limit: 5, remaining: 4 });
    expect(await first(pro.key)).toMatchObject({ limit: 8, remaining: 7 });
    expect(await first(overridden.key)).toMatchObject({ limit: 2, remaining: 1 });
    expect((await first(overridden.key)).reset).toBeLessThanOrEqual(nowSeconds() + 31);
    expect(await first(plain.key)).toMatchObject({ limit: 40, remaining: 39 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await keyClient(free.key).get('/api/v1/invoices')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('never limits an unlimited tier', async () => {
    const { key } = await createKey(acme.owner, { scopes: ['invoices:read'], rate_limit_tier: 'enterprise' });
    for (let i = 0; i < 12; i++) expect((await keyClient(key).get('/api/v1/invoices')).status).toBe(200);
  });

  it('applies a changed per-key limit at once', async () => {
    const { id, key } = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      rate_limit: { limit: 50, window_seconds: 60 },
    });
    expect(budgetOf(await keyClient(key).get('/api/v1/invoices')).limit).toBe(50);
    const patched = await acme.owner.patch(`/api/v1/api-keys/${id}`, {
      rate_limit: { limit: 2, window_seconds: 60 },
    });
    expect(patched.status).toBe(200);
    const after = await keyClient(key).get('/api/v1/invoices');
    expect(budgetOf(after).limit).toBe(2);
    expect((await keyClient(key).get('/api/v1/invoices')).status).toBe(429);
  });

  it('does not limit platform keys', async () => {
    const platformKey = await createPlatformKey(t);
    const res = await t.client('localhost', platformKey).get('/api/v1/tenants');
    expect(res.status).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('sends no rate-limit headers to unauthenticated callers', async () => {
    const res = await t.client(acme.host).get('/api/v1/invoices');
    expect(res.status).toBe(401);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });
});

describe('failed authentications per client IP (AUTH_FAILURE_LIMIT)', () => {
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await startApp({ AUTH_FAILURE_LIMIT: '4' });
    acme = await createTenant(t);
  });
  afterAll(() => t.close());

  it('turns an address away after the limit, with Retry-After, while other addresses still get in', async () => {
    const { key } = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const guesser = t.client(acme.host, `${key.slice(0, -8)}AAAAAAAA`);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await guesser.get('/api/v1/invoices')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const limited = await guesser.get('/api/v1/invoices');
    expect(limited.body).toEqual(TOO_MANY);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // The same valid key from that address waits too; from another address (IPv6 loopback) it works.
    expect((await t.client(acme.host, key).get('/api/v1/invoices')).status).toBe(429);
    expect((await t.client(acme.host, key).get('/api/v1/invoices', { address: '::1' })).status).toBe(200);
  });
});
