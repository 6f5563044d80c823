import { INestApplication } from '@nestjs/common';
import { createProtectedService } from '../examples/protected-service/src/app';
import { CapturingLogger } from './support/capturing-logger';
import { createTenant, TenantFixture } from './support/fixtures';
import { call } from './support/http';
import { createKey, sleep } from './support/keys';
import { startApp, TestApp } from './support/test-app';

const TTL_SECONDS = 1;

/**
 * examples/protected-service (packages/nestjs) in front of a real Keygate: the service's guard
 * verifies each presented key through POST /keys/verify, over a real socket, on the tenant's
 * `*.localhost` URL (which the client maps to loopback itself).
 */
describe('examples/protected-service: a Nest app protected by @keygate/nestjs', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let service: INestApplication;
  let servicePort: number;
  let keygateStopped = false;
  let verifierKey = '';
  const serviceLog = new CapturingLogger();
  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
    expect(
      (await acme.owner.post('/api/v1/scopes', { name: 'reports:read', description: 'Reports' })).status,
    ).toBe(201);
    const verifier = await createKey(acme.owner, { name: 'protected-service', scopes: ['keys:verify'] });
    verifierKey = verifier.key;
    service = await createProtectedService(
      { baseUrl: `http://${acme.host}:${t.port}`, verifierKey, cacheTtlSeconds: TTL_SECONDS },
      serviceLog,
    );
    await service.listen(0, '127.0.0.1');
    servicePort = (service.getHttpServer().address() as { port: number }).port;
  });
  afterAll(async () => {
    await service.close();
    if (!keygateStopped) await t.close();
  });

  const reports = (key: string | null, headers: Record<string, string> = {}) =>
    call(servicePort, 'GET', '/reports', {
      headers: { ...headers, ...(key ? { authorization: `Bearer ${key}` } : {}) },
    });

  it('answers 200 to a key with reports:read, with the principal and the X-RateLimit-* headers of Keygate', async () => {
    const key = await createKey(acme.owner, {
      scopes: ['reports:read'],
      rate_limit: { limit: 50, window_seconds: 3600 },
    });
    const res = await reports(key.key);
    expect(res.status).toBe(200);
    expect(res.body.requested_by).toEqual({
      key_id: key.id,
      workspace_id: acme.workspaceId,
      scopes: ['reports:read'],
    });
    expect(res.headers['x-ratelimit-limit']).toBe('50');
    expect(res.headers['x-ratelimit-remaining']).toBe('49');
    expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    // X-API-Key works too, and a wildcard scope covers the route.
    const wide = await createKey(acme.owner, { scopes: ['reports:*'] });
    expect((await call(servicePort, 'GET', '/reports', { headers: { 'x-api-key': wide.key } })).status).toBe(
      200,
    );
  });

  it('answers 403 with required_scope to a valid key without the scope', async () => {
    const key = await createKey(acme.owner, { scopes: ['api-keys:read'] });
    const res = await reports(key.key);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      message: 'This action is unauthorized.',
      required_scope: 'reports:read',
      provided_scopes: ['api-keys:read'],
    });
  });

  it('answers 401 to a missing, unknown or mistyped key, and lets @Public() routes through', async () => {
    for (const key of [null, 'sk_live_unknown', `sk_live_${'a'.repeat(40)}`]) {
      const res = await reports(key);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
    }
    expect((await call(servicePort, 'GET', '/health')).status).toBe(200);
  });

  it('stops accepting a revoked key within the cache TTL', async () => {
    const key = await createKey(acme.owner, { scopes: ['reports:read'] });
    expect((await reports(key.key)).status).toBe(200);
    expect((await acme.owner.post(`/api/v1/api-keys/${key.id}/revoke`, {})).status).toBe(200);
    const revokedAt = Date.now();
    let status = (await reports(key.key)).status;
    while (status === 200 && Date.now() - revokedAt < TTL_SECONDS * 1000 + 1000) {
      await sleep(100);
      status = (await reports(key.key)).status;
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(TTL_SECONDS * 1000 + 500);
  });

  it('answers 503, never 200, once Keygate is stopped and the cached answer has expired', async () => {
    const cachedKey = await createKey(acme.owner, { scopes: ['reports:read'] });
    const freshKey = await createKey(acme.owner, { scopes: ['reports:read'] });
    expect((await reports(cachedKey.key)).status).toBe(200);
    await t.close();
    keygateStopped = true;
    const fresh = await reports(freshKey.key);
    expect(fresh.status).toBe(503);
    expect(fresh.body).toEqual({ message: 'Service Unavailable.' });
    // What the service logged says why, and never holds the presented key.
    expect(serviceLog.text()).toMatch(/Keygate did not verify \(503: Keygate is unreachable .*answering 503/);
    expect(serviceLog.text()).not.toContain(freshKey.key);
    expect(serviceLog.text()).not.toContain(verifierKey);
    await sleep(TTL_SECONDS * 1000 + 100);
    expect((await reports(cachedKey.key)).status).toBe(503);
  });
});
