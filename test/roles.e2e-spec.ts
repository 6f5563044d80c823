import { createTenant, TenantFixture } from './support/fixtures';
import { startApp, TestApp } from './support/test-app';
import { auditActions, createUser } from './support/users';

describe('roles (/api/v1/roles)', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;

  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
    globex = await createTenant(t);
  });
  afterAll(() => t.close());

  const invoice = { customer: 'c', amount: 1 };
  const createRole = async (tenant: TenantFixture, body: Record<string, unknown>) => {
    const res = await tenant.owner.post('/api/v1/roles', body);
    if (res.status !== 201) throw new Error(`creating a role answered ${res.status}: ${res.text}`);
    return res.body;
  };

  it('lists the built-in roles first, then the tenant roles', async () => {
    await createRole(acme, { name: 'auditor', permissions: ['audit-logs:read'] });
    const res = await acme.owner.get('/api/v1/roles');
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: any) => [r.name, r.built_in])).toEqual([
      ['owner', true],
      ['admin', true],
      ['member', true],
      ['viewer', true],
      ['auditor', false],
    ]);
    expect(res.body.data[0].permissions).toEqual(['*']);
    expect(res.body.data[1].permissions).toEqual(expect.arrayContaining(['users:*', 'invoices:create']));
    expect(res.body.data[1].permissions).not.toContain('view_all_locations');
    expect((await acme.owner.get('/api/v1/roles/viewer')).body).toMatchObject({
      name: 'viewer',
      permissions: ['*:read'],
    });
  });

  it('creates a role from catalog scopes, normalised, wildcards allowed, with an audit row', async () => {
    const role = await createRole(acme, {
      name: 'billing',
      description: 'Invoices',
      permissions: ['Invoices.Read', 'api-keys:*'],
    });
    expect(role).toMatchObject({
      name: 'billing',
      built_in: false,
      permissions: ['invoices:read', 'api-keys:*'],
    });
    expect((await acme.owner.get(`/api/v1/roles/${role.id}`)).body.name).toBe('billing');
    expect(await auditActions(t, acme, role.id)).toEqual(['role.created']);
  });

  it('refuses unknown or malformed permissions, reserved and duplicate names (422)', async () => {
    for (const [body, field] of [
      [{ name: 'x1', permissions: ['spaceships:fly'] }, 'permissions'],
      [{ name: 'x2', permissions: ['a:b:c'] }, 'permissions'],
      [{ name: 'admin', permissions: ['invoices:read'] }, 'name'],
      [{ name: 'Bad Name', permissions: [] }, 'name'],
    ] as const) {
      const res = await acme.owner.post('/api/v1/roles', body);
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    }
    await createRole(acme, { name: 'twice', permissions: [] });
    expect((await acme.owner.post('/api/v1/roles', { name: 'twice', permissions: [] })).status).toBe(422);
  });

  it('refuses permissions the caller does not hold (403)', async () => {
    const admin = await createUser(t, acme, { role: 'admin' });
    expect((await admin.client.post('/api/v1/roles', { name: 'too-much', permissions: ['*'] })).status).toBe(
      403,
    );
    expect(
      (await admin.client.post('/api/v1/roles', { name: 'roam', permissions: ['view_all_locations'] }))
        .status,
    ).toBe(403);
    expect(
      (await admin.client.post('/api/v1/roles', { name: 'fine', permissions: ['invoices:*'] })).status,
    ).toBe(201);
    const viewer = await createUser(t, acme, { role: 'viewer' });
    const refused = await viewer.client.post('/api/v1/roles', { name: 'nope', permissions: [] });
    expect(refused.status).toBe(403);
    expect(refused.body.required_scope).toBe('roles:create');
  });

  it("applies a role's permission edit and rename to its holders on the next request", async () => {
    const role = await createRole(acme, { name: 'clerk', permissions: ['invoices:read'] });
    const user = await createUser(t, acme, { role: 'clerk' });
    expect((await user.client.get('/api/v1/invoices')).status).toBe(200);
    expect((await user.client.post('/api/v1/invoices', invoice)).status).toBe(403);
    const edited = await acme.owner.patch(`/api/v1/roles/${role.id}`, {
      permissions: ['invoices:read', 'invoices:create'],
    });
    expect(edited.status).toBe(200);
    expect((await user.client.post('/api/v1/invoices', invoice)).status).toBe(201);
    expect((await acme.owner.patch(`/api/v1/roles/${role.id}`, { name: 'senior-clerk' })).body.name).toBe(
      'senior-clerk',
    );
    expect((await user.client.post('/api/v1/invoices', invoice)).status).toBe(201);
    const members = await acme.owner.get(`/api/v1/workspaces/${acme.workspaceId}/members?limit=100`);
    expect(members.body.data.find((m: any) => m.user_id === user.id).role).toBe('senior-clerk');
    expect((await acme.owner.patch(`/api/v1/roles/${role.id}`, { permissions: [] })).status).toBe(200);
    expect((await user.client.get('/api/v1/invoices')).status).toBe(403);
    expect((await acme.owner.patch(`/api/v1/roles/${role.id}`, { name: 'viewer' })).status).toBe(422);
  });

  it('refuses to delete a role in use (409) and deletes it once unused', async () => {
    const role = await createRole(acme, { name: 'temp', permissions: ['invoices:read'] });
    const user = await createUser(t, acme, { role: 'temp' });
    const refused = await acme.owner.delete(`/api/v1/roles/${role.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/reassign/);
    expect((await acme.owner.get(`/api/v1/roles/${role.id}`)).status).toBe(200);
    expect(
      (await acme.owner.delete(`/api/v1/workspaces/${acme.workspaceId}/members/${user.id}`)).status,
    ).toBe(204);
    expect((await acme.owner.delete(`/api/v1/roles/${role.id}`)).status).toBe(204);
    expect((await acme.owner.get(`/api/v1/roles/${role.id}`)).status).toBe(404);
    expect(await auditActions(t, acme, role.id)).toContain('role.deleted');
  });

  it('refuses a tenant role of another tenant as a membership role', async () => {
    await createRole(globex, { name: 'globex-only', permissions: ['invoices:read'] });
    const user = await createUser(t, acme);
    const res = await acme.owner.post(`/api/v1/workspaces/${acme.workspaceId}/members`, {
      user_id: user.id,
      role: 'globex-only',
    });
    expect(res.status).toBe(422);
  });

  it("answers 404 for another tenant's role id and leaves it unchanged", async () => {
    const theirs = await createRole(globex, { name: 'theirs', permissions: ['invoices:read'] });
    for (const res of [
      await acme.owner.get(`/api/v1/roles/${theirs.id}`),
      await acme.owner.patch(`/api/v1/roles/${theirs.id}`, { permissions: ['*'] }),
      await acme.owner.delete(`/api/v1/roles/${theirs.id}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: 'Not Found.' });
    }
    const seen = await globex.owner.get(`/api/v1/roles/${theirs.id}`);
    expect(seen.body).toMatchObject({ name: 'theirs', permissions: ['invoices:read'] });
  });
});
