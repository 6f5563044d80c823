import { createTenant, TenantFixture } from './support/fixtures';
import { createKey } from './support/keys';
import { startApp, TestApp } from './support/test-app';

describe('GET /api/v1/auth/check: the gateway check (nginx auth_request, Envoy ext_authz)', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let reader: string;
  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
    for (const name of ['reports:read', 'reports:create'])
      expect((await acme.owner.post('/api/v1/scopes', { name, description: name })).status).toBe(201);
    reader = (
      await createKey(acme.owner, {
        scopes: ['reports:read'],
        rate_limit: { limit: 100, window_seconds: 60 },
      })
    ).key;
  });
  afterAll(() => t.close());

  const check = (token: string | null, headers: Record<string, string> = {}) =>
    t.client(acme.host, token).get('/api/v1/auth/check', { headers });

  it('answers 204 with who the caller is for a key that holds the scope named in X-Required-Scope', async () => {
    const res = await check(reader, { 'x-required-scope': 'reports.read' });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['x-keygate-key-id']).toMatch(/\S/);
    expect(res.headers['x-keygate-workspace-id']).toBe(acme.workspaceId);
    expect(res.headers['x-keygate-scopes']).toBe('reports:read');
    expect(res.headers['x-keygate-environment']).toBe('live');
    expect(res.headers['x-ratelimit-limit']).toBe('100');
  });

  it('is 403 with required_scope when the key lacks the scope', async () => {
    const res = await check(reader, { 'x-required-scope': 'reports:create' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      message: 'This action is unauthorized.',
      required_scope: 'reports:create',
      provided_scopes: ['reports:read'],
    });
    expect(res.headers['x-keygate-key-id']).toBeUndefined();
    expect(res.headers['x-keygate-required-scope']).toBe('reports:create');
  });

  it('derives the scope from X-Original-Method + X-Original-URI as automatic scopes do', async () => {
    const get = await check(reader, {
      'x-original-method': 'GET',
      'x-original-uri': '/api/v1/reports/7?x=1',
    });
    expect(get.status).toBe(204);
    const post = await check(reader, { 'x-original-method': 'POST', 'x-original-uri': '/reports' });
    expect(post.status).toBe(403);
    expect(post.body.required_scope).toBe('reports:create');
  });

  it('is 401 for a missing, unknown or revoked key, with the one body', async () => {
    expect((await check(null)).body).toEqual({ message: 'Unauthenticated.' });
    expect((await check(null)).status).toBe(401);
    expect((await check('sk_live_nope')).status).toBe(401);
    const doomed = await createKey(acme.owner, { scopes: ['reports:read'] });
    expect((await check(doomed.key)).status).toBe(204);
    expect((await acme.owner.post(`/api/v1/api-keys/${doomed.id}/revoke`, {})).status).toBe(200);
    expect((await check(doomed.key)).status).toBe(401);
  });

  it('counts the key budget: 429 with Retry-After once it is spent', async () => {
    const key = (
      await createKey(acme.owner, { scopes: ['reports:read'], rate_limit: { limit: 2, window_seconds: 60 } })
    ).key;
    expect((await check(key)).status).toBe(204);
    expect((await check(key)).status).toBe(204);
    const over = await check(key);
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ message: 'Too Many Attempts.' });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a header that names no usable scope with 422, never "any key will do"', async () => {
    const wildcard = await check(reader, { 'x-required-scope': 'reports:*' });
    expect(wildcard.status).toBe(422);
    expect(wildcard.body.errors['x-required-scope'][0]).toMatch(/concrete scope/);
    expect((await check(reader, { 'x-original-uri': '/api/v1/reports' })).status).toBe(422);
    expect((await check(reader, { 'x-original-method': 'GET', 'x-original-uri': '/' })).status).toBe(422);
  });

  it("does not accept another tenant's key", async () => {
    const other = await createTenant(t);
    const res = await t.client(other.host, reader).get('/api/v1/auth/check');
    expect(res.status).toBe(401);
  });
});
