import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { createTenant, TenantFixture } from './support/fixtures';
import { call } from './support/http';
import { createKey } from './support/keys';
import { onMysql, startApp, TestApp } from './support/test-app';
import { Lifecycle } from '../src/core/lifecycle/lifecycle';
import { UsersRepository } from '../src/users/users.repository';
import { addMember, asTenant, createUser, createWorkspace } from './support/users';
import { DataSource } from 'typeorm';
import { Authority } from '../src/access/authority';

/** Raw bytes to the server, for what Node's http client refuses to send (two Host lines). */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    setTimeout(() => socket.destroy(), 3000);
  });
}

describe('hardening (issue 9): headers, hostile input, lock-out, audit across workspaces', () => {
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await startApp({ AUTH_FAILURE_LIMIT: '5' });
    acme = await createTenant(t);
  });
  afterAll(() => t.close());

  it('sends no-store and nosniff on every response, a new key and a login included', async () => {
    const key = await acme.owner.post('/api/v1/api-keys', { name: 'x', scopes: ['invoices:read'] });
    const user = await createUser(t, acme, { role: 'viewer' });
    const login = await t
      .client(acme.host)
      .post('/api/v1/auth/login', { email: user.email, password: user.password });
    const missing = await t.client(acme.host).get('/api/v1/nothing-here');
    for (const res of [key, login, missing]) {
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(key.status).toBe(201);
    expect(login.status).toBe(201);
  });

  it('answers 400 to two Host lines or two Authorization lines (RFC 9112), and 431 in our JSON', async () => {
    const twoHosts = await rawRequest(
      t.port,
      `GET /api/v1/auth/me HTTP/1.1\r\nHost: ${acme.host}\r\nHost: other.localhost\r\nAuthorization: Bearer ${acme.token}\r\nConnection: close\r\n\r\n`,
    );
    expect(twoHosts).toMatch(/^HTTP\/1\.1 400/);
    expect(twoHosts).toContain('more than one Host header');
    const twoAuth = await rawRequest(
      t.port,
      `GET /api/v1/auth/me HTTP/1.1\r\nHost: ${acme.host}\r\nAuthorization: Bearer ${acme.token}\r\nAuthorization: Bearer x\r\nConnection: close\r\n\r\n`,
    );
    expect(twoAuth).toMatch(/^HTTP\/1\.1 400/);
    const huge = await rawRequest(
      t.port,
      `GET / HTTP/1.1\r\nHost: ${acme.host}\r\nX-Big: ${'a'.repeat(20000)}\r\nConnection: close\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1\.1 431/);
    expect(huge).toContain('{"message":"Request Header Fields Too Large."}');
  });

  it('refuses JSON nested 5,000 deep with 400 on login, unauthenticated, and logs no stack', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const res = await t
      .client(acme.host)
      .send('POST', '/api/v1/auth/login', { raw: `{"email":${deep},"password":"x"}` });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/nested more than 32 levels/);
    const key = await acme.owner.send('POST', '/api/v1/api-keys', {
      raw: `{"name":"x","scopes":["invoices:read"],"rate_limit":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`,
    });
    expect(key.status).toBe(400);
    expect(t.logger.text()).not.toMatch(/RangeError|Maximum call stack|\n\s+at /);
  });

  it('refuses tiers that exist on every plain object, IPv6 zone ids and 73-byte owner passwords (422)', async () => {
    for (const tier of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const res = await acme.owner.post('/api/v1/api-keys', {
        name: 'x',
        scopes: ['invoices:read'],
        rate_limit_tier: tier,
      });
      expect(res.status).toBe(422);
      expect(res.body.errors.rate_limit_tier).toBeDefined();
    }
    const zoned = await acme.owner.post('/api/v1/api-keys', {
      name: 'x',
      scopes: ['invoices:read'],
      ip_allowlist: ['fe80::1%eth0'],
    });
    expect(zoned.status).toBe(422);
  });

  it('keeps a key out of the log when it is sent as X-Request-Id or percent-encoded in a path', async () => {
    const key = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const echoed = await t
      .client(acme.host, key.key)
      .get('/api/v1/invoices', { headers: { 'x-request-id': key.key } });
    expect(echoed.headers['x-request-id']).not.toBe(key.key);
    // Glued to a character, or without its type prefix: still not kept (found by an attack pass).
    for (const variant of [`x${key.key}`.slice(0, 64), key.key.slice('sk_live_'.length)]) {
      const res = await t.client(acme.host).get('/health/live', { headers: { 'x-request-id': variant } });
      expect(res.headers['x-request-id']).not.toContain(key.key.slice(-38, -20));
    }
    const encoded = key.key.replace(/_/g, '%5F');
    await t.client(acme.host).get(`/api/v1/${encoded}`);
    await t.client(acme.host).get(`/api/v1/x/${encodeURIComponent(key.key)}`);
    expect(t.logger.text()).not.toContain(key.key.slice(-38));
  });

  it('never quotes a key back in a 422, even one pasted where a scope or a name goes', async () => {
    const key = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const res = await acme.owner.post('/api/v1/api-keys', {
      name: 'pasted',
      scopes: [key.key, key.key.slice('sk_live_'.length)],
      ip_allowlist: [key.key],
    });
    expect(res.status).toBe(422);
    const secret = key.key.slice(-38, -6);
    expect(res.text.toLowerCase()).not.toContain(secret.toLowerCase());
    expect(t.logger.text().toLowerCase()).not.toContain(secret.toLowerCase());
  });

  (onMysql ? it.skip : it)('creates the SQLite file readable by its owner only', () => {
    expect(statSync(t.sqliteFile!).mode & 0o777).toBe(0o600);
  });

  it('a locked-out address does no database work, but a key this instance already verified still passes', async () => {
    const ip = { headers: { 'x-forwarded-for': '198.51.100.77' } };
    const proxied = await startApp({ AUTH_FAILURE_LIMIT: '5', TRUST_PROXY: 'true' });
    try {
      const tenant = await createTenant(proxied);
      const warm = await createKey(tenant.owner, { scopes: ['invoices:read'] });
      const cold = await createKey(tenant.owner, { scopes: ['invoices:read'] });
      expect((await proxied.client(tenant.host, warm.key).get('/api/v1/invoices', ip)).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push(
          (await proxied.client(tenant.host, `sk_live_${'x'.repeat(10)}${i}`).get('/api/v1/invoices', ip))
            .status,
        );
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      // The cached key goes through; a valid key this instance has not seen waits for the window.
      expect((await proxied.client(tenant.host, warm.key).get('/api/v1/invoices', ip)).status).toBe(200);
      const waiting = await proxied.client(tenant.host, cold.key).get('/api/v1/invoices', ip);
      expect(waiting.status).toBe(429);
      expect(Number(waiting.headers['retry-after'])).toBeGreaterThan(0);
      // A wrong secret for the cached key id is still a failure (429 while locked).
      const forged = warm.key.slice(0, -8) + 'AAAAAAAA';
      expect((await proxied.client(tenant.host, forged).get('/api/v1/invoices', ip)).status).toBe(429);
      // Another address behind the same proxy is not locked.
      const elsewhere = { headers: { 'x-forwarded-for': '198.51.100.78' } };
      expect((await proxied.client(tenant.host, cold.key).get('/api/v1/invoices', elsewhere)).status).toBe(
        200,
      );
      // What the client writes in front of the proxy's entry changes nothing.
      const spoofed = { headers: { 'x-forwarded-for': '203.0.113.1, 198.51.100.77' } };
      expect(
        (await proxied.client(tenant.host, `sk_live_${'y'.repeat(11)}`).get('/api/v1/invoices', spoofed))
          .status,
      ).toBe(429);
    } finally {
      await proxied.close();
    }
  });

  it("audits a change made from W1 to a W2 user in W2 too, logins in the user's workspace, and key changes from → to", async () => {
    const w2 = await createWorkspace(acme, 'Audited');
    const user = await createUser(t, acme, { role: 'viewer', workspaceId: w2 });
    const renamed = await acme.owner.patch(`/api/v1/users/${user.id}`, { name: 'Renamed In W1' });
    expect(renamed.status).toBe(200);
    const inW2 = await acme.owner.get(`/api/v1/audit-logs?target_id=${user.id}`, {
      headers: { 'x-workspace-id': w2 },
    });
    const updated = inW2.body.data.find((row: { action: string }) => row.action === 'user.updated');
    expect(updated.metadata.changes.name).toEqual({ from: expect.any(String), to: 'Renamed In W1' });
    await t.client(acme.host).post('/api/v1/auth/login', { email: user.email, password: user.password });
    const logins = await acme.owner.get(`/api/v1/audit-logs?action=user.logged_in&target_id=${user.id}`, {
      headers: { 'x-workspace-id': w2 },
    });
    expect(logins.body.data).toHaveLength(1);
    expect(logins.body.data[0]).toMatchObject({ actor_type: 'user', actor_id: user.id, workspace_id: w2 });

    const key = await createKey(acme.owner, { scopes: ['invoices:read'] });
    await acme.owner.patch(`/api/v1/api-keys/${key.id}`, {
      scopes: ['invoices:read', 'invoices:create'],
      rate_limit_tier: 'pro',
    });
    const rows = await acme.owner.get(`/api/v1/audit-logs?action=api_key.updated&target_id=${key.id}`);
    expect(rows.body.data[0].metadata.changes).toEqual({
      scopes: { from: ['invoices:read'], to: ['invoices:read', 'invoices:create'] },
      rate_limit_tier: { from: null, to: 'pro' },
    });
  });

  it('gives a key revoked or deleted while its rotation runs no heir (found by an attack pass)', async () => {
    const authority = t.app.get(Authority);
    for (const retire of ['revoke', 'delete'] as const) {
      const key = await createKey(acme.owner, { scopes: ['invoices:read'] });
      // The rotation has read the key as active; the revocation lands before its transaction.
      const check = authority.assertMayShapeCredential.bind(authority);
      const spy = jest
        .spyOn(authority, 'assertMayShapeCredential')
        .mockImplementationOnce(async (...args) => {
          const done =
            retire === 'revoke'
              ? await acme.owner.post(`/api/v1/api-keys/${key.id}/revoke`)
              : await acme.owner.delete(`/api/v1/api-keys/${key.id}`);
          expect(done.status).toBe(retire === 'revoke' ? 200 : 204);
          return check(...args);
        });
      const rotation = await acme.owner.post(`/api/v1/api-keys/${key.id}/rotate`, {
        grace_period_seconds: 600,
      });
      spy.mockRestore();
      expect([rotation.status, rotation.body.code]).toEqual([409, 'API_KEY_NOT_ACTIVE']);
      const heirs = await t.app
        .get(DataSource)
        .query('SELECT id FROM api_keys WHERE rotated_from_id = ?', [key.id]);
      expect(heirs).toEqual([]);
    }
  });

  it("refuses to extend a rotated key's grace period, and a member may not loosen an owner key", async () => {
    const key = await createKey(acme.owner, { scopes: ['*'] });
    const rotated = await acme.owner.post(`/api/v1/api-keys/${key.id}/rotate`, {
      grace_period_seconds: 3600,
    });
    expect(rotated.status).toBe(201);
    const extended = await acme.owner.patch(`/api/v1/api-keys/${key.id}`, {
      expires_at: '2035-01-01T00:00:00Z',
    });
    expect(extended.status).toBe(409);
    expect(extended.body).toEqual({ message: expect.any(String), code: 'API_KEY_GRACE_NOT_EXTENDABLE' });
    expect((await acme.owner.post(`/api/v1/api-keys/${key.id}/rotate`, {})).body.code).toBe(
      'API_KEY_ALREADY_ROTATED',
    );
    expect(
      (
        await acme.owner.patch(`/api/v1/api-keys/${key.id}`, {
          expires_at: new Date(Date.now() + 60_000).toISOString(),
        })
      ).status,
    ).toBe(200);

    const member = await createUser(t, acme, { role: 'member' });
    const strong = await createKey(acme.owner, { scopes: ['*'], ip_allowlist: ['10.0.0.0/8'] });
    for (const body of [
      { ip_allowlist: [] },
      { expires_at: null },
      { rate_limit_tier: 'enterprise' },
      { name: 'mine now' },
    ]) {
      const res = await member.client.patch(`/api/v1/api-keys/${strong.id}`, body);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ reason: 'exceeds_caller_grants', required_scope: '*' });
    }
    const rotate = await member.client.post(`/api/v1/api-keys/${strong.id}/rotate`, {});
    expect(rotate.status).toBe(403);
    expect(rotate.body.key).toBeUndefined();
    expect((await acme.owner.get(`/api/v1/api-keys/${strong.id}`)).body.ip_allowlist).toEqual(['10.0.0.0/8']);
  });

  it('lets a W1 admin take over nothing in W2', async () => {
    const w2 = await createWorkspace(acme, 'Target');
    const admin = await createUser(t, acme, { role: 'admin' });
    await addMember(acme, w2, admin.id, 'viewer');
    const victim = await createUser(t, acme, { role: 'owner', workspaceId: w2 });
    expect(
      (await admin.client.patch(`/api/v1/users/${victim.id}`, { password: 'attacker-password' })).status,
    ).toBe(403);
    expect(
      (await admin.client.patch(`/api/v1/users/${victim.id}`, { email: 'attacker@evil.test' })).status,
    ).toBe(403);
    expect(
      (
        await admin.client.post('/api/v1/users', {
          email: 'sock@evil.test',
          password: 'sock-password',
          name: 'x',
          tenant_role: 'admin',
        })
      ).status,
    ).toBe(403);
    expect(
      (await admin.client.patch(`/api/v1/workspaces/${w2}/members/${admin.id}`, { role: 'admin' })).status,
    ).toBe(403);
    const login = await call(t.port, 'POST', '/api/v1/auth/login', {
      host: acme.host,
      body: { email: victim.email, password: victim.password },
    });
    expect(login.status).toBe(201);
  });

  it('a role named constructor is just a role: no 500, no lock-out', async () => {
    const role = await acme.owner.post('/api/v1/roles', {
      name: 'constructor',
      permissions: ['invoices:read'],
    });
    expect(role.status).toBe(201);
    const user = await createUser(t, acme);
    expect(
      (
        await acme.owner.post(`/api/v1/workspaces/${acme.workspaceId}/members`, {
          user_id: user.id,
          role: 'constructor',
        })
      ).status,
    ).toBe(201);
    const me = await user.client.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.scopes).toEqual(['invoices:read']);
    expect(
      (await acme.owner.patch(`/api/v1/users/${user.id}`, { tenant_role: 'hasOwnProperty' })).status,
    ).toBe(422);
    expect(
      (await acme.owner.delete(`/api/v1/workspaces/${acme.workspaceId}/members/${user.id}`)).status,
    ).toBe(204);
  });

  it('a key cannot mint a key with a budget of its own (a bigger burst at the same rate), nor escape its own allowlist', async () => {
    const parent = await createKey(acme.owner, {
      scopes: ['api-keys:*', 'invoices:read'],
      ip_allowlist: ['127.0.0.0/8'],
    });
    const asParent = t.client(acme.host, parent.key);
    const monthly = await asParent.post('/api/v1/api-keys', {
      name: 'x',
      scopes: ['invoices:read'],
      rate_limit: { limit: 744_000, window_seconds: 2_678_400 },
    });
    // A key made by a key spends its maker's budget on its maker's terms: no other budget at all.
    expect(monthly.status).toBe(422);
    expect(monthly.body.errors.rate_limit).toBeDefined();
    const open = await asParent.post('/api/v1/api-keys', {
      name: 'x',
      scopes: ['invoices:read'],
      ip_allowlist: [],
    });
    expect(open.status).toBe(403);
    expect(open.body.reason).toBe('escapes_caller_allowlist');
    const inherited = await asParent.post('/api/v1/api-keys', { name: 'x', scopes: ['invoices:read'] });
    expect(inherited.status).toBe(201);
    expect(inherited.body.ip_allowlist).toEqual(['127.0.0.0/8']);
    const narrower = await asParent.post('/api/v1/api-keys', {
      name: 'x',
      scopes: ['invoices:read'],
      ip_allowlist: ['127.0.0.1'],
    });
    expect(narrower.status).toBe(201);
  });

  it('a credential limited in time, address or budget sets no password (a login would escape its limits)', async () => {
    const short = await createKey(acme.owner, {
      scopes: ['users:*', '*:read'],
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
    });
    const viewer = await createUser(t, acme, { role: 'viewer' });
    const asShort = t.client(acme.host, short.key);
    const reset = await asShort.patch(`/api/v1/users/${viewer.id}`, { password: 'attacker-password-1' });
    expect(reset.status).toBe(403);
    expect(reset.body.reason).toBe('limited_caller');
    expect(
      (await asShort.post('/api/v1/users', { email: 'sock@acme.test', password: 'sock-password', name: 's' }))
        .body.reason,
    ).toBe('limited_caller');
    expect((await asShort.patch(`/api/v1/users/${viewer.id}`, { name: 'Renamed' })).status).toBe(200);
  });

  it('a user in no workspace is edited only by who holds users:update tenant-wide', async () => {
    const loose = await createUser(t, acme);
    const admin = await createUser(t, acme, { role: 'admin' });
    expect(
      (await admin.client.patch(`/api/v1/users/${loose.id}`, { email: 'taken-over@evil.test' })).status,
    ).toBe(403);
    const keyed = await createKey(acme.owner, { scopes: ['users:update'] });
    expect(
      (
        await t
          .client(acme.host, keyed.key)
          .patch(`/api/v1/users/${loose.id}`, { email: 'taken-over@evil.test' })
      ).status,
    ).toBe(403);
    expect((await acme.owner.patch(`/api/v1/users/${loose.id}`, { name: 'Fine' })).status).toBe(200);
  });

  it("keeps tenant-level changes readable: ?level=tenant for tenant roles, and a deleted workspace's row", async () => {
    const ws = await createWorkspace(acme, 'Doomed');
    expect((await acme.owner.delete(`/api/v1/workspaces/${ws}`)).status).toBe(204);
    const tenantLog = await acme.owner.get(`/api/v1/audit-logs?level=tenant&target_id=${ws}`);
    expect(tenantLog.status).toBe(200);
    expect(tenantLog.body.data.map((r: { action: string }) => r.action)).toEqual([
      'workspace.deleted',
      'workspace.created',
    ]);
    const admin = await createUser(t, acme, { role: 'admin' });
    const refused = await admin.client.get('/api/v1/audit-logs?level=tenant');
    expect(refused.status).toBe(403);
  });

  it('a rotated-out key stays rotated out when its successor is deleted, and rotating spends the same budget', async () => {
    const key = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      rate_limit: { limit: 3, window_seconds: 3600 },
    });
    const asKey = t.client(acme.host, key.key);
    expect((await asKey.get('/api/v1/invoices')).status).toBe(200);
    expect((await asKey.get('/api/v1/invoices')).status).toBe(200);
    const rotated = await acme.owner.post(`/api/v1/api-keys/${key.id}/rotate`, { grace_period_seconds: 600 });
    expect(rotated.status).toBe(201);
    const asNew = t.client(acme.host, rotated.body.key);
    expect((await asNew.get('/api/v1/invoices')).status).toBe(200);
    // Three of three spent across the chain: the successor is not a fresh budget.
    expect((await asNew.get('/api/v1/invoices')).status).toBe(429);
    expect((await acme.owner.delete(`/api/v1/api-keys/${rotated.body.id}`)).status).toBe(204);
    expect((await acme.owner.patch(`/api/v1/api-keys/${key.id}`, { expires_at: null })).status).toBe(409);
    expect((await acme.owner.post(`/api/v1/api-keys/${key.id}/rotate`, {})).status).toBe(409);
  });

  it('answers a URL the router cannot read with our body and headers, without echoing it', async () => {
    const res = await acme.owner.get('/api/v1/api-keys/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Malformed request.' });
    expect(res.headers['x-request-id']).toBeDefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const long = await acme.owner.get(`/api/v1/api-keys/${'a'.repeat(600)}`);
    expect(long.status).toBe(414);
    expect(long.text).not.toContain('aaaa');
  });

  it('redacts a key glued to other characters in a logged path', async () => {
    const key = await createKey(acme.owner, { scopes: ['invoices:read'] });
    await t.client(acme.host).get(`/api/v1/api-keys/9${key.key}`);
    await t.client(acme.host).get(`/api/v1/api-keys/_${key.key}`);
    expect(t.logger.text()).not.toContain(key.key.slice(-38));
  });

  it('a short-lived token makes no permanent key, and a limited key gives no one power', async () => {
    const admin = await createUser(t, acme, { role: 'admin' });
    const soon = new Date(Date.now() + 600_000).toISOString();
    const short = await admin.client.post('/api/v1/users/me/tokens', { name: 'short', expires_at: soon });
    const asShort = admin.client.as(short.body.token);
    const made = await asShort.post('/api/v1/api-keys', { name: 'k', scopes: ['invoices:read'] });
    expect(made.status).toBe(201);
    expect(made.body.expires_at).toBe(soon);
    const forever = await asShort.post('/api/v1/api-keys', {
      name: 'k',
      scopes: ['invoices:read'],
      expires_at: null,
    });
    expect(forever.body.reason).toBe('outlives_caller');
    const limited = await createKey(acme.owner, {
      scopes: ['*'],
      rate_limit: { limit: 100, window_seconds: 3600 },
    });
    const viewer = await createUser(t, acme, { role: 'viewer' });
    const promote = await t
      .client(acme.host, limited.key)
      .patch(`/api/v1/workspaces/${acme.workspaceId}/members/${viewer.id}`, { role: 'owner' });
    expect(promote.status).toBe(403);
    expect(promote.body.reason).toBe('limited_caller');
  });

  it("a workspace admin cannot adopt a user to take the account: another user's email or password is tenant-wide", async () => {
    const w2 = await createWorkspace(acme, 'Adoptive');
    const admin = await createUser(t, acme, { role: 'admin', workspaceId: w2 });
    const orphan = await createUser(t, acme);
    const h = { headers: { 'x-workspace-id': w2 } };
    expect(
      (await admin.client.post(`/api/v1/workspaces/${w2}/members`, { user_id: orphan.id, role: 'viewer' }, h))
        .status,
    ).toBe(201);
    const taken = await admin.client.patch(`/api/v1/users/${orphan.id}`, { password: 'taken-over-1' }, h);
    expect(taken.status).toBe(403);
    expect(taken.body.required_scope).toBe('users:update');
  });

  it("one budget per user for tokens, and a key's children spend its budget", async () => {
    const limited = await startApp({ RATE_LIMIT_DEFAULT: '3/3600' });
    try {
      const tenant = await createTenant(limited);
      const first = await tenant.owner.post('/api/v1/users/me/tokens', { name: 'a' });
      const second = await tenant.owner.post('/api/v1/users/me/tokens', { name: 'b' });
      expect((await tenant.owner.as(first.body.token).get('/api/v1/auth/me')).status).toBe(200);
      // The user's three requests are spent: a new token is no new budget.
      expect((await tenant.owner.as(second.body.token).get('/api/v1/auth/me')).status).toBe(429);
    } finally {
      await limited.close();
    }
    const parent = await createKey(acme.owner, {
      scopes: ['api-keys:create', 'invoices:read'],
      rate_limit: { limit: 3, window_seconds: 3600 },
    });
    const child = await t.client(acme.host, parent.key).post('/api/v1/api-keys', {
      name: 'child',
      scopes: ['invoices:read'],
      rate_limit: { limit: 3, window_seconds: 3600 },
    });
    expect(child.status).toBe(201);
    const asChild = t.client(acme.host, child.body.key);
    expect((await asChild.get('/api/v1/invoices')).status).toBe(200);
    expect((await asChild.get('/api/v1/invoices')).status).toBe(200);
    expect((await asChild.get('/api/v1/invoices')).status).toBe(429);
  });

  it('a new budget for a key is the new budget of every key that shares it: what it minted included (found by an attack pass)', async () => {
    const parent = await createKey(acme.owner, {
      scopes: ['api-keys:create', 'invoices:read', 'invoices:create'],
      rate_limit: { limit: 5000, window_seconds: 3600 },
    });
    const child = await t
      .client(acme.host, parent.key)
      .post('/api/v1/api-keys', { name: 'minted', scopes: ['invoices:read'] });
    expect(child.status).toBe(201);
    // Throttled by a person: a shorter window, a smaller limit.
    const patched = await acme.owner.patch(`/api/v1/api-keys/${parent.id}`, {
      rate_limit: { limit: 3, window_seconds: 60 },
    });
    expect(patched.status).toBe(200);
    const minted = await acme.owner.get(`/api/v1/api-keys/${child.body.id}`);
    expect(minted.body.rate_limit).toEqual({ limit: 3, window_seconds: 60 });
    const statuses: number[] = [];
    for (const key of [child.body.key, parent.key, child.body.key, child.body.key, parent.key])
      statuses.push((await t.client(acme.host, key).get('/api/v1/invoices')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // The change landed on the parent too: its audit trail says so.
    const trail = await acme.owner.get(`/api/v1/audit-logs?target_id=${parent.id}`);
    expect(trail.body.data.map((e: { action: string }) => e.action)).toContain('api_key.updated');
    // …and is checked there: a member lacking the parent's invoices:create may not reach it
    // through the key it minted, not even to tighten it.
    const member = await createUser(t, acme, { role: 'member' });
    const through = await member.client.patch(`/api/v1/api-keys/${child.body.id}`, {
      rate_limit: { limit: 1, window_seconds: 86_400 },
    });
    expect([through.status, through.body.required_scope]).toEqual([403, 'invoices:create']);
  });

  it('a test key verifying a live key spends none of its budget', async () => {
    const live = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      rate_limit: { limit: 2, window_seconds: 3600 },
    });
    const verifier = await createKey(acme.owner, { scopes: ['keys:verify'], environment: 'test' });
    for (let i = 0; i < 3; i++) {
      const res = await t.client(acme.host, verifier.key).post('/api/v1/keys/verify', { key: live.key });
      expect(res.body.code).toBe('VALID');
    }
    expect((await t.client(acme.host, live.key).get('/api/v1/invoices')).status).toBe(200);
    // …but is told how much is left, and RATE_LIMITED once nothing is (found by an attack pass).
    const left = await t.client(acme.host, verifier.key).post('/api/v1/keys/verify', { key: live.key });
    expect([left.body.code, left.body.ratelimit.remaining]).toEqual(['VALID', 1]);
    expect((await t.client(acme.host, live.key).get('/api/v1/invoices')).status).toBe(200);
    const spent = await t.client(acme.host, verifier.key).post('/api/v1/keys/verify', { key: live.key });
    expect([spent.body.valid, spent.body.code, spent.body.ratelimit.remaining]).toEqual([
      false,
      'RATE_LIMITED',
      0,
    ]);
  });

  it('a check and its write are one: racing a tenant-role grant against an edit of that role never yields both', async () => {
    const admin = await createUser(t, acme, { role: 'admin' });
    for (let round = 0; round < 5; round++) {
      const name = `race-${round}-${Date.now()}`;
      const role = await admin.client.post('/api/v1/roles', { name, permissions: [] });
      expect(role.status).toBe(201);
      const [created, edited] = await Promise.all([
        admin.client.post('/api/v1/users', {
          email: `${name}@acme.test`,
          password: 'race-password-1',
          name: 'Race',
          tenant_role: name,
        }),
        admin.client.patch(`/api/v1/roles/${role.body.id}`, {
          permissions: ['users:*', 'workspaces:*', 'api-keys:*'],
        }),
      ]);
      // Either order is fine; both at once would be a tenant-wide admin made by a workspace admin.
      expect([created.status, edited.status].sort()).not.toEqual([200, 201]);
      expect([created.status, edited.status]).toContain(403);
    }
  });

  it('a user can kill their own tokens while their only workspace is suspended', async () => {
    const ws = await createWorkspace(acme, 'Suspended');
    const user = await createUser(t, acme, { role: 'member', workspaceId: ws });
    expect((await acme.owner.post(`/api/v1/workspaces/${ws}/suspend`)).status).toBe(200);
    expect((await user.client.delete('/api/v1/users/me/tokens')).status).toBe(204);
    expect((await user.client.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('deleting a workspace needs all the power of everyone in it', async () => {
    const ws = await createWorkspace(acme, 'Guarded');
    const admin = await createUser(t, acme, { role: 'admin', workspaceId: ws });
    await createUser(t, acme, { role: 'owner', workspaceId: ws });
    const refused = await admin.client.delete(`/api/v1/workspaces/${ws}`, {
      headers: { 'x-workspace-id': ws },
    });
    expect(refused.status).toBe(403);
    expect((await acme.owner.get(`/api/v1/workspaces/${ws}`)).status).toBe(200);
  });

  it('creating or renaming a role onto a name someone already holds is a grant to them, checked where they are', async () => {
    const admin = await createUser(t, acme, { role: 'admin' });
    const holder = await createUser(t, acme);
    // A tenant role naming no role (data from before roles were checked in one transaction).
    await asTenant(t, acme, (ctx) =>
      t.app.get(UsersRepository).update(ctx, { id: holder.id }, { tenantRole: 'ghost' }),
    );
    const created = await admin.client.post('/api/v1/roles', { name: 'ghost', permissions: ['api-keys:*'] });
    expect(created.status).toBe(403);
    const other = await admin.client.post('/api/v1/roles', {
      name: 'ghost-to-be',
      permissions: ['api-keys:*'],
    });
    expect(other.status).toBe(201);
    expect((await admin.client.patch(`/api/v1/roles/${other.body.id}`, { name: 'ghost' })).status).toBe(403);
  });
});

describe('draining: every answer tells a kept-alive client to reconnect elsewhere', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('sends Connection: close on answers to URLs the router cannot read too (found by an attack pass)', async () => {
    t.app.get(Lifecycle).beginDraining();
    for (const path of [
      '/api/v1/api-keys/%E0%A4%A',
      `/api/v1/api-keys/${'a'.repeat(600)}`,
      '/nothing-here',
    ]) {
      const answer = await rawRequest(t.port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 (400|404|414) /);
      expect(answer.toLowerCase()).toContain('\r\nconnection: close\r\n');
      expect(answer.toLowerCase()).toContain('\r\nx-content-type-options: nosniff\r\n');
    }
  });
});
