import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { createTenant, TenantFixture } from './support/fixtures';
import { call } from './support/http';
import { createKey } from './support/keys';
import { RunningNginx, startNginx } from './support/nginx';
import { startApp, TestApp } from './support/test-app';

/**
 * examples/nginx: a real nginx (Debian's package) with auth_request to GET /api/v1/auth/check of
 * a real Keygate, in front of a tiny upstream that echoes what reached it.
 */
describe('examples/nginx: auth_request in front of a service', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let upstream: Server;
  let nginx: RunningNginx;
  const seen: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    // nginx on this host is the one proxy: the client's address is what it forwards.
    t = await startApp({ TRUST_PROXY: '127.0.0.1' });
    acme = await createTenant(t);
    expect(
      (await acme.owner.post('/api/v1/scopes', { name: 'reports:read', description: 'Reports' })).status,
    ).toBe(201);
    upstream = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ upstream: true, path: req.url }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    nginx = await startNginx({
      keygate: `127.0.0.1:${t.port}`,
      keygateHost: acme.host,
      upstream: `127.0.0.1:${(upstream.address() as { port: number }).port}`,
    });
  });
  afterAll(async () => {
    await nginx?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
    await t.close();
  });

  const through = (method: string, path: string, key: string | null, headers: Record<string, string> = {}) =>
    call(nginx.port, method, path, {
      host: 'service.example',
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    });

  it('passes a key that holds the scope of the route, telling the service who called and not the key', async () => {
    const key = await createKey(acme.owner, { scopes: ['reports:read'] });
    const res = await through('GET', '/api/v1/reports/7?x=1', key.key);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ upstream: true, path: '/api/v1/reports/7?x=1' });
    const headers = seen[seen.length - 1];
    expect(headers['x-keygate-key-id']).toBe(key.id);
    expect(headers['x-keygate-workspace-id']).toBe(acme.workspaceId);
    expect(headers['x-keygate-scopes']).toBe('reports:read');
    expect(headers.authorization).toBeUndefined();
  });

  it('stops a valid key without the scope with 403 and the required scope', async () => {
    const key = await createKey(acme.owner, { scopes: ['reports:read'] });
    const before = seen.length;
    const res = await through('POST', '/api/v1/reports', key.key);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: 'This action is unauthorized.', required_scope: 'reports:create' });
    expect(seen.length).toBe(before);
  });

  it('stops a missing, unknown or revoked key with 401', async () => {
    const before = seen.length;
    for (const key of [null, 'sk_live_nope']) {
      const res = await through('GET', '/api/v1/reports', key);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
    }
    const key = await createKey(acme.owner, { scopes: ['reports:read'] });
    expect((await through('GET', '/api/v1/reports', key.key)).status).toBe(200);
    expect((await acme.owner.post(`/api/v1/api-keys/${key.id}/revoke`, {})).status).toBe(200);
    expect((await through('GET', '/api/v1/reports', key.key)).status).toBe(401);
    expect(seen.length).toBe(before + 1);
  });

  it('answers a spent budget 429 with Retry-After and the budget headers (not nginx’s 500)', async () => {
    const key = await createKey(acme.owner, {
      scopes: ['reports:read'],
      rate_limit: { limit: 1, window_seconds: 3600 },
    });
    const first = await through('GET', '/api/v1/reports', key.key);
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('1');
    expect(first.headers['x-ratelimit-remaining']).toBe('0');
    const before = seen.length;
    const spent = await through('GET', '/api/v1/reports', key.key);
    expect([spent.status, spent.body]).toEqual([429, { message: 'Too Many Attempts.' }]);
    expect(Number(spent.headers['retry-after'])).toBeGreaterThan(0);
    expect(spent.headers['x-ratelimit-remaining']).toBe('0');
    expect(seen.length).toBe(before);
    // Called directly (no nginx), the check still answers a plain 429.
    const direct = await t.client(acme.host, key.key).get('/api/v1/auth/check');
    expect(direct.status).toBe(429);
  });

  it('checks the scope of the route, not one the client names (found by an attack pass)', async () => {
    const key = await createKey(acme.owner, { scopes: ['reports:read'] });
    const before = seen.length;
    const res = await through('DELETE', '/api/v1/reports/7', key.key, { 'x-required-scope': 'reports:read' });
    expect([res.status, res.body.required_scope]).toEqual([403, 'reports:delete']);
    expect(seen.length).toBe(before);
  });

  it('tells Keygate the client’s address, not one the client wrote (found by an attack pass)', async () => {
    // nginx's peer here is 127.0.0.1: a key allowed only from 10.9.9.9 must not pass by claiming it.
    const key = await createKey(acme.owner, { scopes: ['reports:read'], ip_allowlist: ['10.9.9.9'] });
    const res = await through('GET', '/api/v1/reports', key.key, { 'x-forwarded-for': '10.9.9.9' });
    expect(res.status).toBe(403);
    const open = await createKey(acme.owner, { scopes: ['reports:read'], ip_allowlist: ['127.0.0.1'] });
    expect(
      (await through('GET', '/api/v1/reports', open.key, { 'x-forwarded-for': '10.9.9.9' })).status,
    ).toBe(200);
  });

  it('checks a key against the tenant nginx serves, whatever X-Forwarded-Host the client sends (attack pass)', async () => {
    const other = await createTenant(t);
    const foreign = await createKey(other.owner, { scopes: ['*'] });
    const res = await through('GET', '/api/v1/reports', foreign.key, { 'x-forwarded-host': other.host });
    expect(res.status).toBe(401);
  });

  it('refuses a path whose route depends on who reads it: dot segments, escaped slashes (attack passes)', async () => {
    const key = await createKey(acme.owner, { scopes: ['reports:read'] });
    const before = seen.length;
    for (const path of [
      '/api/v1/reports/../admin/users',
      '/api/v1/reports/%2e%2e/admin/users',
      '/api/v1/admin/x%2F..%2F..%2Freports',
      '/api/v1/admin/x%5C..%5C..%5Creports',
    ]) {
      const res = await through('GET', path, key.key);
      expect([path, res.status]).toEqual([path, 403]);
    }
    // A path that names no scope at all is refused (403), not nginx's 500.
    expect((await through('GET', '/', key.key)).status).toBe(403);
    expect(seen.length).toBe(before);
  });
});
