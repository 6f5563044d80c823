import { RequestContext } from '../src/core/context/request-context';
import { MissingTenantContextError } from '../src/core/errors';
import { UsersRepository } from '../src/users/users.repository';
import { createTenant, TenantFixture } from './support/fixtures';
import { startApp, TestApp } from './support/test-app';

describe('tenancy: the tenant comes from the Host', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;

  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
    globex = await createTenant(t);
  });
  afterAll(() => t.close());

  it('authenticates the owner token on its own tenant', async () => {
    const res = await acme.owner.get('/api/v1/auth/me');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      credential_type: 'user_token',
      user: { id: acme.ownerId, email: `owner@${acme.slug}.test`, tenant_role: 'owner' },
      tenant: { slug: acme.slug },
      workspace: { id: acme.workspaceId },
      scopes: ['*'],
    });
  });

  it("refuses a tenant's token on another tenant's host with the unknown-key 401", async () => {
    const res = await t.client(globex.host, acme.token).get('/api/v1/auth/me');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthenticated.' });
  });

  it('answers 404 for an unknown tenant', async () => {
    const res = await t.client('nobody-here.localhost', acme.token).get('/api/v1/auth/me');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: 'Not Found.' });
  });

  it('ignores the port and the case of the Host', async () => {
    const res = await t
      .client(`${acme.slug.toUpperCase()}.LocalHost:3000`, acme.token)
      .get('/api/v1/auth/me');
    expect(res.status).toBe(200);
  });

  it('serves no tenant routes on the bare base domain or foreign hosts', async () => {
    expect((await t.client('localhost', acme.token).get('/api/v1/auth/me')).status).toBe(404);
    expect((await t.client('127.0.0.1', acme.token).get('/api/v1/auth/me')).status).toBe(404);
    expect((await t.client(`x.${acme.slug}.localhost`, acme.token).get('/api/v1/auth/me')).status).toBe(404);
  });

  it('ignores X-Forwarded-Host without TRUST_PROXY', async () => {
    const res = await t
      .client('nobody-here.localhost', acme.token)
      .get('/api/v1/auth/me', { headers: { 'x-forwarded-host': acme.host } });
    expect(res.status).toBe(404);
  });

  it('answers 403 for a suspended tenant and serves it again once resumed', async () => {
    const tenant = await createTenant(t);
    const { TenantsService } = await import('../src/tenants/tenants.service');
    await t.app.get(TenantsService).setStatus(RequestContext.platform(), tenant.slug, 'suspended');
    const suspended = await tenant.owner.get('/api/v1/auth/me');
    expect(suspended.status).toBe(403);
    expect(suspended.body).toEqual({ message: 'This action is unauthorized.', reason: 'tenant_suspended' });
    await t.app.get(TenantsService).setStatus(RequestContext.platform(), tenant.slug, 'active');
    expect((await tenant.owner.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('throws when a tenant-scoped repository is used without a tenant in the context', async () => {
    await expect(t.app.get(UsersRepository).find(RequestContext.platform())).rejects.toThrow(
      MissingTenantContextError,
    );
    await expect(
      t.app.get(UsersRepository).findOne(RequestContext.platform(), { id: acme.ownerId }),
    ).rejects.toThrow(MissingTenantContextError);
  });

  it('answers /health on any host, with the database state', async () => {
    for (const host of ['localhost', 'nobody-here.localhost', '10.0.0.1']) {
      const res = await t.client(host).get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
    }
  });
});

describe('tenancy behind a trusted proxy', () => {
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await startApp({ TRUST_PROXY: 'true' });
    acme = await createTenant(t);
  });
  afterAll(() => t.close());

  it('believes X-Forwarded-Host when TRUST_PROXY=true', async () => {
    const res = await t
      .client('nobody-here.localhost', acme.token)
      .get('/api/v1/auth/me', { headers: { 'x-forwarded-host': `${acme.host}:443` } });
    expect(res.status).toBe(200);
  });
});
