import { Client } from './support/http';
import { cliCreateTenant, Instance, startInstance, waitUntil } from './support/instances';
import { uniqueSlug } from './support/fixtures';
import { onMysql } from './support/test-app';

// jest 29 ignores a per-project testTimeout; these tests boot processes and wait for recovery.
jest.setTimeout(30_000);

/**
 * Two instances of the app (separate processes) on one MariaDB database and one Redis: one
 * rate-limit budget across both, and a change made through one applies on the other at once.
 * Needs DATABASE_URL=mysql://… (and REDIS_URL, default redis://127.0.0.1:6379), as .ci/run sets.
 */
const describeOnMysql = onMysql ? describe : describe.skip;
const title = onMysql
  ? 'two instances on one MariaDB and one Redis'
  : 'two instances on one MariaDB and one Redis (skipped: DATABASE_URL is not mysql://)';

describeOnMysql(title, () => {
  const env = {
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
  let a: Instance;
  let b: Instance;
  let host: string;
  let ownerA: Client;

  beforeAll(async () => {
    a = await startInstance(env);
    b = await startInstance(env);
    const slug = uniqueSlug('multi');
    host = `${slug}.localhost`;
    const tenant = await cliCreateTenant(slug, env);
    ownerA = a.client(host, tenant.token);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  async function newKey(body: Record<string, unknown>): Promise<{ id: string; key: string }> {
    const res = await ownerA.post('/api/v1/api-keys', { name: 'multi', scopes: ['invoices:read'], ...body });
    if (res.status !== 201) throw new Error(`creating a key answered ${res.status}: ${res.text}`);
    return { id: res.body.id, key: res.body.key };
  }

  it('shares one budget: a limit of 10 lets exactly 10 requests through, whichever instance they reach', async () => {
    const { key } = await newKey({ rate_limit: { limit: 10, window_seconds: 60 } });
    const clients = [a.client(host, key), b.client(host, key)];
    // 30 concurrent requests, alternating between the two instances.
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => clients[i % 2].get('/api/v1/invoices')),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    const remaining = replies
      .filter((r) => r.status === 200)
      .map((r) => Number(r.headers['x-ratelimit-remaining']));
    expect(remaining.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses on instance B, within a second, a key revoked through instance A', async () => {
    const { id, key } = await newKey({});
    const onB = b.client(host, key);
    expect((await onB.get('/api/v1/invoices')).status).toBe(200); // now cached on B
    const revokedAt = Date.now();
    expect((await ownerA.post(`/api/v1/api-keys/${id}/revoke`, {})).status).toBeLessThan(300);
    expect(await waitUntil(async () => (await onB.get('/api/v1/invoices')).status === 401, 1000)).toBe(true);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  });

  it('applies on instance B, within a second, a scope change made through instance A', async () => {
    const { id, key } = await newKey({ scopes: ['invoices:read'] });
    const onB = b.client(host, key);
    expect((await onB.get('/api/v1/invoices')).status).toBe(200);
    expect((await onB.post('/api/v1/invoices', { customer: 'c', amount: 1 })).status).toBe(403);
    const patched = await ownerA.patch(`/api/v1/api-keys/${id}`, { scopes: ['invoices:create'] });
    expect(patched.status).toBe(200);
    expect(await waitUntil(async () => (await onB.get('/api/v1/invoices')).status === 403, 1000)).toBe(true);
    expect((await onB.post('/api/v1/invoices', { customer: 'c', amount: 1 })).status).toBe(201);
  });

  it('refuses on instance B a key deleted through instance A', async () => {
    const { id, key } = await newKey({});
    const onB = b.client(host, key);
    expect((await onB.get('/api/v1/invoices')).status).toBe(200);
    expect((await ownerA.delete(`/api/v1/api-keys/${id}`)).status).toBe(204);
    expect(await waitUntil(async () => (await onB.get('/api/v1/invoices')).status === 401, 1000)).toBe(true);
  });

  it('reports Redis as up on both instances', async () => {
    for (const instance of [a, b]) {
      const res = await instance.client('localhost').get('/health');
      expect(res.body).toMatchObject({ status: 'ok', database: 'up', redis: 'up' });
    }
  });
});
