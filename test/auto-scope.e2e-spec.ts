import { createTenant, TenantFixture } from './support/fixtures';
import { createKey } from './support/keys';
import { startApp, TestApp } from './support/test-app';

describe('automatic scopes from path and method (@AutoScope, seed 001)', () => {
  let t: TestApp;
  let acme: TenantFixture;
  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
  });
  afterAll(() => t.close());

  it('derives clients:read / create / update / delete from the route', async () => {
    const reader = t.client(acme.host, (await createKey(acme.owner, { scopes: ['clients.read'] })).key);
    expect((await reader.get('/api/v1/clients')).status).toBe(200);
    const denied = await reader.post('/api/v1/clients', { name: 'x' });
    expect(denied.status).toBe(403);
    expect(denied.body.required_scope).toBe('clients:create');
    expect((await reader.put('/api/v1/clients/7', { name: 'x' })).body.required_scope).toBe('clients:update');
    expect((await reader.delete('/api/v1/clients/7')).body.required_scope).toBe('clients:delete');
    const writer = t.client(acme.host, (await createKey(acme.owner, { scopes: ['clients:*'] })).key);
    expect((await writer.post('/api/v1/clients', { name: 'x' })).status).toBe(201);
    expect((await writer.delete('/api/v1/clients/7')).status).toBe(204);
  });

  it('puts the derived scopes in the catalog', async () => {
    const names = (await acme.owner.get('/api/v1/scopes')).body.data.map((s: any) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['clients:read', 'clients:create', 'clients:update', 'clients:delete']),
    );
  });
});
