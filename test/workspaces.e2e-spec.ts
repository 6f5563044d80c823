import { createTenant, TenantFixture } from './support/fixtures';
import { startApp, TestApp } from './support/test-app';
import { addMember, auditActions, createUser, createWorkspace, issueWorkspaceKey } from './support/users';

describe('workspaces and members (/api/v1/workspaces)', () => {
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
  const wsHeader = (id: string) => ({ headers: { 'x-workspace-id': id } });

  it('creates, lists, reads and renames workspaces, with audit rows', async () => {
    const created = await acme.owner.post('/api/v1/workspaces', { name: 'Berlin' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Berlin', status: 'active' });
    const id = created.body.id;
    const list = await acme.owner.get('/api/v1/workspaces');
    expect(list.body.data.map((w: any) => w.id)).toEqual(expect.arrayContaining([acme.workspaceId, id]));
    expect((await acme.owner.patch(`/api/v1/workspaces/${id}`, { name: 'Berlin HQ' })).body.name).toBe(
      'Berlin HQ',
    );
    expect((await acme.owner.get(`/api/v1/workspaces/${id}`)).body.name).toBe('Berlin HQ');
    expect(await auditActions(t, acme, id)).toEqual(
      expect.arrayContaining(['workspace.created', 'workspace.updated']),
    );
    expect((await acme.owner.post('/api/v1/workspaces', { name: '' })).status).toBe(422);
  });

  it('lists only the workspaces a user belongs to, unless they may see all', async () => {
    const other = await createWorkspace(acme, 'Hidden');
    const member = await createUser(t, acme, { role: 'viewer' });
    const ids = (await member.client.get('/api/v1/workspaces')).body.data.map((w: any) => w.id);
    expect(ids).toEqual([acme.workspaceId]);
    expect((await acme.owner.get('/api/v1/workspaces?limit=100')).body.data.map((w: any) => w.id)).toContain(
      other,
    );
  });

  it('suspends a workspace (403 on the next request) and resumes it', async () => {
    const ws = await createWorkspace(acme, 'Suspendable');
    const user = await createUser(t, acme, { role: 'member', workspaceId: ws });
    expect((await user.client.get('/api/v1/invoices', wsHeader(ws))).status).toBe(200);
    const suspended = await acme.owner.post(`/api/v1/workspaces/${ws}/suspend`);
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    const refused = await user.client.get('/api/v1/invoices', wsHeader(ws));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: 'This action is unauthorized.', reason: 'workspace_suspended' });
    expect((await acme.owner.post(`/api/v1/workspaces/${ws}/resume`)).body.status).toBe('active');
    expect((await user.client.get('/api/v1/invoices', wsHeader(ws))).status).toBe(200);
    expect(await auditActions(t, acme, ws)).toEqual(
      expect.arrayContaining(['workspace.suspended', 'workspace.resumed']),
    );
  });

  it('adds members with a valid role only, once each', async () => {
    const ws = await createWorkspace(acme, 'Members');
    const user = await createUser(t, acme);
    const stranger = await createUser(t, globex);
    const path = `/api/v1/workspaces/${ws}/members`;
    const bad = await acme.owner.post(path, { user_id: user.id, role: 'emperor' });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(['role']);
    expect((await acme.owner.post(path, { user_id: stranger.id, role: 'viewer' })).status).toBe(422);
    const added = await acme.owner.post(path, { user_id: user.id, role: 'viewer' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      workspace_id: ws,
      user_id: user.id,
      role: 'viewer',
      user: { email: user.email },
    });
    expect((await acme.owner.post(path, { user_id: user.id, role: 'member' })).status).toBe(422);
    const list = await acme.owner.get(path);
    expect(list.body.data.map((m: any) => [m.user_id, m.role])).toEqual([[user.id, 'viewer']]);
    expect(list.text).not.toMatch(/password|hash/i);
  });

  it('applies a role change and a membership removal on the very next request', async () => {
    const user = await createUser(t, acme, { role: 'viewer' });
    const member = `/api/v1/workspaces/${acme.workspaceId}/members/${user.id}`;
    expect((await user.client.get('/api/v1/invoices')).status).toBe(200); // caches the permissions
    expect((await user.client.post('/api/v1/invoices', invoice)).status).toBe(403);
    expect((await acme.owner.patch(member, { role: 'admin' })).body.role).toBe('admin');
    expect((await user.client.post('/api/v1/invoices', invoice)).status).toBe(201);
    expect((await acme.owner.patch(member, { role: 'viewer' })).status).toBe(200);
    expect((await user.client.post('/api/v1/invoices', invoice)).status).toBe(403);
    expect((await acme.owner.delete(member)).status).toBe(204);
    expect((await user.client.get('/api/v1/invoices')).status).toBe(403);
    expect((await acme.owner.delete(member)).status).toBe(404);
    expect(await auditActions(t, acme, user.id)).toEqual(
      expect.arrayContaining(['membership.created', 'membership.updated', 'membership.removed']),
    );
  });

  describe('default workspace (seed 000)', () => {
    it('uses X-Workspace-ID when sent, if the user is a member (else 403)', async () => {
      const second = await createWorkspace(acme, 'Second');
      const outside = await createWorkspace(acme, 'Outside');
      const user = await createUser(t, acme, { role: 'viewer' });
      await addMember(acme, second, user.id, 'viewer');
      const me = await user.client.get('/api/v1/auth/me', wsHeader(second));
      expect(me.body.workspace.id).toBe(second);
      expect((await user.client.get('/api/v1/invoices', wsHeader(second))).body.workspace_id).toBe(second);
      expect((await user.client.get('/api/v1/invoices', wsHeader(outside))).status).toBe(403);
      expect((await user.client.get('/api/v1/invoices', wsHeader('ws_nonexistent'))).status).toBe(403);
    });

    it("else the user's current workspace, which they can set to one they belong to", async () => {
      const second = await createWorkspace(acme, 'Current');
      const outside = await createWorkspace(acme, 'Not mine');
      const user = await createUser(t, acme, { role: 'viewer' });
      await addMember(acme, second, user.id, 'viewer');
      expect((await user.client.get('/api/v1/auth/me')).body.workspace.id).toBe(acme.workspaceId);
      const set = await user.client.put('/api/v1/users/me/current-workspace', { workspace_id: second });
      expect(set.status).toBe(200);
      expect(set.body.current_workspace_id).toBe(second);
      expect((await user.client.get('/api/v1/auth/me')).body.workspace.id).toBe(second);
      expect(
        (await user.client.put('/api/v1/users/me/current-workspace', { workspace_id: outside })).status,
      ).toBe(403);
      expect(
        (await user.client.put('/api/v1/users/me/current-workspace', { workspace_id: globex.workspaceId }))
          .status,
      ).toBe(404);
      expect((await user.client.get('/api/v1/auth/me')).body.workspace.id).toBe(second);
    });

    it('else the first workspace they belong to', async () => {
      const later = await createWorkspace(acme, 'Later');
      const first = await createWorkspace(acme, 'First');
      const user = await createUser(t, acme);
      await addMember(acme, first, user.id, 'viewer');
      await addMember(acme, later, user.id, 'viewer');
      expect((await user.client.get('/api/v1/auth/me')).body.workspace.id).toBe(first);
      expect((await user.client.get('/api/v1/invoices')).body.workspace_id).toBe(first);
    });

    it('else none: workspace-scoped routes are 403', async () => {
      const user = await createUser(t, acme, { tenantRole: 'viewer' });
      const me = await user.client.get('/api/v1/auth/me');
      expect(me.status).toBe(200);
      expect(me.body.workspace).toBeNull();
      expect(me.body.scopes).toEqual(['*:read']);
      const refused = await user.client.get('/api/v1/invoices');
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ message: 'This action is unauthorized.', reason: 'no_workspace' });
    });
  });

  it('opens every workspace to a user holding view_all_locations, and no other', async () => {
    const role = await acme.owner.post('/api/v1/roles', {
      name: 'regional',
      permissions: ['view_all_locations', '*:read'],
    });
    expect(role.status).toBe(201);
    const far = await createWorkspace(acme, 'Far away');
    const regional = await createUser(t, acme, { tenantRole: 'regional' });
    const plain = await createUser(t, acme, { role: 'viewer' });
    expect((await regional.client.get('/api/v1/invoices', wsHeader(far))).status).toBe(200);
    expect((await plain.client.get('/api/v1/invoices', wsHeader(far))).status).toBe(403);
    expect(
      (await regional.client.put('/api/v1/users/me/current-workspace', { workspace_id: far })).status,
    ).toBe(200);
    expect((await regional.client.get('/api/v1/invoices')).body.workspace_id).toBe(far);
    expect(
      (await regional.client.get('/api/v1/workspaces?limit=100')).body.data.map((w: any) => w.id),
    ).toContain(far);
  });

  it('needs the scope in the workspace acted on, not only in the active one', async () => {
    const other = await createWorkspace(acme, 'Elsewhere');
    const user = await createUser(t, acme, { role: 'admin' });
    await addMember(acme, other, user.id, 'viewer');
    expect((await user.client.post(`/api/v1/workspaces/${other}/suspend`)).status).toBe(403);
    expect(
      (await user.client.post(`/api/v1/workspaces/${other}/members`, { user_id: user.id, role: 'admin' }))
        .status,
    ).toBe(403);
    expect((await acme.owner.get(`/api/v1/workspaces/${other}`)).body.status).toBe('active');
    const key = acme.owner.as(await issueWorkspaceKey(t, acme, acme.workspaceId, ['workspaces:*']));
    expect((await key.patch(`/api/v1/workspaces/${other}`, { name: 'Renamed by a key' })).status).toBe(403);
    expect((await key.get(`/api/v1/workspaces/${acme.workspaceId}`)).status).toBe(200);
  });

  it("deletes a workspace with its members, keys and as anyone's current workspace", async () => {
    const ws = await createWorkspace(acme, 'Doomed');
    const user = await createUser(t, acme, { role: 'viewer', workspaceId: ws });
    await addMember(acme, acme.workspaceId, user.id, 'viewer');
    await user.client.put('/api/v1/users/me/current-workspace', { workspace_id: ws });
    const key = acme.owner.as(await issueWorkspaceKey(t, acme, ws, ['invoices:read']));
    expect((await key.get('/api/v1/invoices')).status).toBe(200);
    expect((await acme.owner.delete(`/api/v1/workspaces/${ws}`)).status).toBe(204);
    expect((await key.get('/api/v1/invoices')).status).toBe(401);
    expect((await acme.owner.get(`/api/v1/workspaces/${ws}`)).status).toBe(404);
    expect((await user.client.get('/api/v1/auth/me')).body.workspace.id).toBe(acme.workspaceId);
    expect((await acme.owner.get(`/api/v1/users/${user.id}`)).body.current_workspace_id).toBeNull();
    expect(await auditActions(t, acme, ws)).toContain('workspace.deleted');
  });

  it("answers 404 for another tenant's workspace id and leaves it unchanged", async () => {
    const theirs = globex.workspaceId;
    const victim = await createUser(t, globex, { role: 'member' });
    const acmeUser = await createUser(t, acme);
    for (const res of [
      await acme.owner.get(`/api/v1/workspaces/${theirs}`),
      await acme.owner.patch(`/api/v1/workspaces/${theirs}`, { name: 'Hacked' }),
      await acme.owner.post(`/api/v1/workspaces/${theirs}/suspend`),
      await acme.owner.get(`/api/v1/workspaces/${theirs}/members`),
      await acme.owner.post(`/api/v1/workspaces/${theirs}/members`, { user_id: acmeUser.id, role: 'owner' }),
      await acme.owner.patch(`/api/v1/workspaces/${theirs}/members/${victim.id}`, { role: 'viewer' }),
      await acme.owner.delete(`/api/v1/workspaces/${theirs}/members/${victim.id}`),
      await acme.owner.delete(`/api/v1/workspaces/${theirs}`),
    ]) {
      expect(res.status).toBe(404);
    }
    const seen = await globex.owner.get(`/api/v1/workspaces/${theirs}`);
    expect(seen.body).toMatchObject({ name: 'Default', status: 'active' });
    const members = await globex.owner.get(`/api/v1/workspaces/${theirs}/members`);
    expect(members.body.data.map((m: any) => [m.user_id, m.role])).toEqual([
      [globex.ownerId, 'owner'],
      [victim.id, 'member'],
    ]);
  });
});
