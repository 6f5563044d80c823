import { createTenant, TenantFixture } from './support/fixtures';
import { startApp, TestApp } from './support/test-app';
import { auditActions, createUser } from './support/users';

describe('users (/api/v1/users)', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;

  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
    globex = await createTenant(t);
  });
  afterAll(() => t.close());

  const valid = (overrides: Record<string, unknown> = {}) => ({
    email: `new-${Math.random().toString(36).slice(2)}@example.test`,
    password: 'a-good-password',
    name: 'New User',
    ...overrides,
  });

  it('creates a user with a lower-cased email and never shows the password hash', async () => {
    const res = await acme.owner.post('/api/v1/users', valid({ email: 'Mixed.Case@Example.TEST' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: 'mixed.case@example.test',
      name: 'New User',
      status: 'active',
      tenant_role: null,
    });
    expect(res.text).not.toMatch(/password|hash/i);
    expect(await auditActions(t, acme, res.body.id)).toEqual(['user.created']);
  });

  it('refuses a duplicate email in the same tenant (any case) but not in another tenant', async () => {
    await acme.owner.post('/api/v1/users', valid({ email: 'dup@example.test' }));
    const dup = await acme.owner.post('/api/v1/users', valid({ email: 'DUP@example.test' }));
    expect(dup.status).toBe(422);
    expect(Object.keys(dup.body.errors)).toEqual(['email']);
    expect((await globex.owner.post('/api/v1/users', valid({ email: 'dup@example.test' }))).status).toBe(201);
  });

  it('requires passwords of 8 to 72 bytes, counting bytes rather than characters', async () => {
    const tooShort = await acme.owner.post('/api/v1/users', valid({ password: 'short' }));
    expect(tooShort.status).toBe(422);
    expect(Object.keys(tooShort.body.errors)).toEqual(['password']);
    expect((await acme.owner.post('/api/v1/users', valid({ password: 'x'.repeat(73) }))).status).toBe(422);
    expect((await acme.owner.post('/api/v1/users', valid({ password: 'x'.repeat(72) }))).status).toBe(201);
    // 40 characters, 80 bytes: bcrypt would silently ignore the last 8.
    expect((await acme.owner.post('/api/v1/users', valid({ password: 'é'.repeat(40) }))).status).toBe(422);
  });

  it('refuses unknown fields and unknown tenant roles', async () => {
    const extra = await acme.owner.post('/api/v1/users', valid({ is_admin: true }));
    expect(extra.status).toBe(422);
    expect(Object.keys(extra.body.errors)).toEqual(['is_admin']);
    const role = await acme.owner.post('/api/v1/users', valid({ tenant_role: 'emperor' }));
    expect(role.status).toBe(422);
    expect(Object.keys(role.body.errors)).toEqual(['tenant_role']);
  });

  it('pages through users with a cursor', async () => {
    const first = await acme.owner.get('/api/v1/users?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await acme.owner.get(`/api/v1/users?limit=2&cursor=${first.body.next_cursor}`);
    const ids = [...first.body.data, ...second.body.data].map((u: any) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(first.body.data[0].id).toBe(acme.ownerId);
    expect(first.text).not.toMatch(/password|hash/i);
  });

  it('searches name and email within the tenant only, never showing a password hash', async () => {
    await acme.owner.post('/api/v1/users', valid({ name: 'Zelda Quux', email: 'zq@acme.test' }));
    await acme.owner.post('/api/v1/users', valid({ name: 'Other Person', email: 'quux.fan@acme.test' }));
    await globex.owner.post('/api/v1/users', valid({ name: 'Zelda Quux', email: 'zq@globex.test' }));
    const res = await acme.owner.get('/api/v1/users/search?q=QUUX');
    expect(res.status).toBe(200);
    expect(res.body.data.map((u: any) => u.email)).toEqual(['quux.fan@acme.test', 'zq@acme.test']);
    expect(res.text).not.toMatch(/password|hash/i);
    // LIKE wildcards in q are literal.
    expect((await acme.owner.get('/api/v1/users/search?q=%25')).body.data).toEqual([]);
    expect((await acme.owner.get('/api/v1/users/search')).status).toBe(422);
  });

  it('updates a user, and a tenant role change applies on the next request', async () => {
    const user = await createUser(t, acme, { role: 'viewer' });
    expect((await user.client.post('/api/v1/invoices', { customer: 'c', amount: 1 })).status).toBe(403);
    const res = await acme.owner.patch(`/api/v1/users/${user.id}`, { name: 'Renamed', tenant_role: 'admin' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed', tenant_role: 'admin' });
    expect((await user.client.post('/api/v1/invoices', { customer: 'c', amount: 1 })).status).toBe(201);
    expect(
      (await acme.owner.patch(`/api/v1/users/${user.id}`, { tenant_role: null })).body.tenant_role,
    ).toBeNull();
    expect((await user.client.post('/api/v1/invoices', { customer: 'c', amount: 1 })).status).toBe(403);
    expect((await acme.owner.get(`/api/v1/users/${user.id}`)).body.name).toBe('Renamed');
    expect(await auditActions(t, acme, user.id)).toEqual(
      expect.arrayContaining(['user.updated', 'membership.created']),
    );
  });

  it('changes a password so that only the new one logs in', async () => {
    const user = await createUser(t, acme, { role: 'viewer' });
    expect(
      (await acme.owner.patch(`/api/v1/users/${user.id}`, { password: 'brand-new-password' })).status,
    ).toBe(200);
    const login = (password: string) =>
      t.client(acme.host).post('/api/v1/auth/login', { email: user.email, password });
    expect((await login(user.password)).status).toBe(401);
    expect((await login('brand-new-password')).status).toBe(201);
  });

  it('deactivates (tokens 401 at once) and reactivates a user, with audit rows', async () => {
    const user = await createUser(t, acme, { role: 'viewer' });
    expect((await user.client.get('/api/v1/auth/me')).status).toBe(200);
    const res = await acme.owner.post(`/api/v1/users/${user.id}/deactivate`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('deactivated');
    expect((await user.client.get('/api/v1/auth/me')).status).toBe(401);
    expect((await acme.owner.post(`/api/v1/users/${user.id}/reactivate`)).body.status).toBe('active');
    expect((await user.client.get('/api/v1/auth/me')).status).toBe(200);
    expect(await auditActions(t, acme, user.id)).toEqual(
      expect.arrayContaining(['user.deactivated', 'user.reactivated']),
    );
  });

  it('deletes a user with their tokens and memberships', async () => {
    const user = await createUser(t, acme, { role: 'member' });
    expect((await user.client.get('/api/v1/auth/me')).status).toBe(200);
    expect((await acme.owner.delete(`/api/v1/users/${user.id}`)).status).toBe(204);
    expect((await user.client.get('/api/v1/auth/me')).status).toBe(401);
    expect((await acme.owner.get(`/api/v1/users/${user.id}`)).status).toBe(404);
    const members = await acme.owner.get(`/api/v1/workspaces/${acme.workspaceId}/members?limit=100`);
    expect(members.body.data.map((m: any) => m.user_id)).not.toContain(user.id);
    expect(await auditActions(t, acme, user.id)).toContain('user.deleted');
  });

  it('will not let a user deactivate, delete or demote themselves', async () => {
    for (const res of [
      await acme.owner.post(`/api/v1/users/${acme.ownerId}/deactivate`),
      await acme.owner.delete(`/api/v1/users/${acme.ownerId}`),
      await acme.owner.patch(`/api/v1/users/${acme.ownerId}`, { tenant_role: 'viewer' }),
    ]) {
      expect(res.status).toBe(422);
    }
    expect((await acme.owner.patch(`/api/v1/users/${acme.ownerId}`, { name: 'The Owner' })).status).toBe(200);
    expect((await acme.owner.get('/api/v1/auth/me')).body.scopes).toEqual(['*']);
  });

  it('needs users:* scopes, and grants no role beyond what the caller holds', async () => {
    const viewer = await createUser(t, acme, { role: 'viewer' });
    expect((await viewer.client.get('/api/v1/users')).status).toBe(200);
    const refused = await viewer.client.post('/api/v1/users', valid());
    expect(refused.status).toBe(403);
    expect(refused.body.required_scope).toBe('users:create');
    // A workspace admin holds nothing outside its workspace, so it hands out no tenant-wide role.
    const admin = await createUser(t, acme, { role: 'admin' });
    expect((await admin.client.post('/api/v1/users', valid())).status).toBe(201);
    const tenantWide = await admin.client.post('/api/v1/users', valid({ tenant_role: 'viewer' }));
    expect(tenantWide.status).toBe(403);
    expect(tenantWide.body.reason).toBe('exceeds_caller_grants');
    // A tenant admin may hand out what it holds everywhere, and nothing more.
    const tenantAdmin = await createUser(t, acme, { tenantRole: 'admin' });
    expect((await tenantAdmin.client.post('/api/v1/users', valid({ tenant_role: 'viewer' }))).status).toBe(
      201,
    );
    expect((await tenantAdmin.client.post('/api/v1/users', valid({ tenant_role: 'owner' }))).status).toBe(
      403,
    );
    expect((await tenantAdmin.client.post(`/api/v1/users/${acme.ownerId}/deactivate`)).status).toBe(403);
    expect((await acme.owner.get('/api/v1/auth/me')).status).toBe(200);
  });

  it("answers 404 for another tenant's user id and leaves the user unchanged", async () => {
    const victim = await createUser(t, globex, { role: 'member', name: 'Victim' });
    const base = `/api/v1/users/${victim.id}`;
    for (const res of [
      await acme.owner.get(base),
      await acme.owner.patch(base, { name: 'Hacked' }),
      await acme.owner.post(`${base}/deactivate`),
      await acme.owner.delete(base),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: 'Not Found.' });
    }
    const seen = await globex.owner.get(base);
    expect(seen.body).toMatchObject({ name: 'Victim', status: 'active' });
    expect((await victim.client.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('shows the caller its own record at /users/me', async () => {
    const res = await acme.owner.get('/api/v1/users/me');
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(acme.ownerId);
  });
});
