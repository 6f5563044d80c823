import { createTenant, TenantFixture } from './support/fixtures';
import { createKey, issuedKeys, sleep } from './support/keys';
import { startApp, TestApp } from './support/test-app';

const UNAUTHENTICATED = { message: 'Unauthenticated.' };

describe('API keys: lifecycle over HTTP', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;

  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
    globex = await createTenant(t);
  });
  afterAll(() => t.close());

  const keyClient = (key: string) => t.client(acme.host, key);

  it('creates a key, shows the plaintext once, and lists it without secret or hash', async () => {
    const created = await createKey(acme.owner, {
      name: 'Mobile App',
      scopes: ['invoices.read', 'invoices:create'],
    });
    expect(created.key).toMatch(/^sk_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}$/);
    expect(created.body).toMatchObject({
      name: 'Mobile App',
      prefix: created.key.slice(0, 'sk_live_'.length + 16),
      environment: 'live',
      workspace_id: acme.workspaceId,
      scopes: ['invoices:read', 'invoices:create'],
      ip_allowlist: [],
      expires_at: null,
      revoked_at: null,
      status: 'active',
    });
    const one = await acme.owner.get(`/api/v1/api-keys/${created.id}`);
    expect(one.status).toBe(200);
    expect(one.text).not.toContain(created.key.slice(25));
    expect(one.body.key).toBeUndefined();
    const list = await acme.owner.get('/api/v1/api-keys');
    expect(list.status).toBe(200);
    expect(list.body.data.map((k: any) => k.id)).toContain(created.id);
    expect(list.text).not.toMatch(/secret|hash/);
    expect(list.text).not.toContain(created.key.slice(25));
  });

  it('accepts the key as Bearer, X-API-Key, Basic user name, and with a matching ClientID', async () => {
    const { key } = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const keyId = key.split('_')[2];
    const basic = Buffer.from(`${key}:`).toString('base64');
    const ways: Record<string, string>[] = [
      { authorization: `Bearer ${key}` },
      { 'x-api-key': key },
      { authorization: `Basic ${basic}` },
      { authorization: `Bearer ${key}`, clientid: keyId },
    ];
    for (const headers of ways) {
      expect((await t.client(acme.host).get('/api/v1/invoices', { headers })).status).toBe(200);
    }
    const wrongClient = await t
      .client(acme.host)
      .get('/api/v1/invoices', { headers: { authorization: `Bearer ${key}`, clientid: 'x' } });
    expect(wrongClient.status).toBe(401);
    const basicWithPassword = Buffer.from(`${key}:pw`).toString('base64');
    expect(
      (
        await t
          .client(acme.host)
          .get('/api/v1/invoices', { headers: { authorization: `Basic ${basicWithPassword}` } })
      ).status,
    ).toBe(401);
    // Query-string credentials are off by default.
    expect((await t.client(acme.host).get(`/api/v1/invoices?api_token=${key}`)).status).toBe(401);
  });

  it('gives every malformed, mangled, unknown or foreign key the identical 401', async () => {
    const { key } = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const foreign = await createKey(globex.owner, { scopes: ['invoices:read'] });
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
    const candidates = [
      '',
      'sk_live_',
      'not-a-key',
      key.slice(0, -1),
      `${key}x`,
      flip(key, 20),
      flip(key, key.length - 1),
      key.replace('sk_live_', 'sk_test_'),
      key.replace('sk_live_', 'pk_live_'),
      'x'.repeat(5000),
      foreign.key,
    ];
    for (const candidate of candidates) {
      const res = await t
        .client(acme.host)
        .get('/api/v1/invoices', { headers: { authorization: `Bearer ${candidate}` } });
      expect([candidate.slice(0, 30), res.status, res.body]).toEqual([
        candidate.slice(0, 30),
        401,
        UNAUTHENTICATED,
      ]);
    }
    const missing = await t.client(acme.host).get('/api/v1/invoices');
    expect(missing.body).toEqual(UNAUTHENTICATED);
  });

  it("answers 404 for another tenant's key id and leaves the key untouched", async () => {
    const victim = await createKey(acme.owner, { name: 'victim', scopes: ['invoices:read'] });
    for (const [method, path, body] of [
      ['GET', `/api/v1/api-keys/${victim.id}`, undefined],
      ['PATCH', `/api/v1/api-keys/${victim.id}`, { name: 'pwned' }],
      ['DELETE', `/api/v1/api-keys/${victim.id}`, undefined],
      ['POST', `/api/v1/api-keys/${victim.id}/rotate`, {}],
      ['POST', `/api/v1/api-keys/${victim.id}/revoke`, {}],
    ] as const) {
      const res = await globex.owner.send(method, path, { body });
      expect([method, path, res.status, res.body]).toEqual([method, path, 404, { message: 'Not Found.' }]);
    }
    const revokeByValue = await globex.owner.post('/api/v1/api-keys/revoke', { key: victim.key });
    expect(revokeByValue.status).toBe(404);
    const after = await acme.owner.get(`/api/v1/api-keys/${victim.id}`);
    expect(after.body).toMatchObject({ name: 'victim', status: 'active', revoked_at: null });
    expect((await keyClient(victim.key).get('/api/v1/invoices')).status).toBe(200);
  });

  it('answers 403 with required and provided scopes when a scope is missing', async () => {
    const { key } = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const res = await keyClient(key).post('/api/v1/invoices', { customer: 'ACME', amount: 10 });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      message: 'This action is unauthorized.',
      required_scope: 'invoices:create',
      provided_scopes: ['invoices:read'],
    });
  });

  it('honours wildcards: resource:*, *:action and *', async () => {
    const resourceWide = await createKey(acme.owner, { scopes: ['invoices:*'] });
    expect((await keyClient(resourceWide.key).get('/api/v1/invoices')).status).toBe(200);
    expect(
      (await keyClient(resourceWide.key).post('/api/v1/invoices', { customer: 'a', amount: 1 })).status,
    ).toBe(201);
    expect((await keyClient(resourceWide.key).get('/api/v1/api-keys')).status).toBe(403);
    const readAll = await createKey(acme.owner, { scopes: ['*:read'] });
    expect((await keyClient(readAll.key).get('/api/v1/invoices')).status).toBe(200);
    expect((await keyClient(readAll.key).get('/api/v1/api-keys')).status).toBe(200);
    expect((await keyClient(readAll.key).post('/api/v1/invoices', { customer: 'a', amount: 1 })).status).toBe(
      403,
    );
    const everything = await createKey(acme.owner, { scopes: ['*'] });
    expect(
      (await keyClient(everything.key).post('/api/v1/invoices', { customer: 'a', amount: 1 })).status,
    ).toBe(201);
  });

  it('refuses to let a key grant scopes it does not hold', async () => {
    const manager = await createKey(acme.owner, { scopes: ['api-keys:create', 'invoices:read'] });
    const escalate = await keyClient(manager.key).post('/api/v1/api-keys', {
      name: 'x',
      scopes: ['invoices:create'],
    });
    expect(escalate.status).toBe(403);
    expect(escalate.body.required_scope).toBe('invoices:create');
    const wildcard = await keyClient(manager.key).post('/api/v1/api-keys', {
      name: 'x',
      scopes: ['invoices:*'],
    });
    expect(wildcard.status).toBe(403);
    const fine = await keyClient(manager.key).post('/api/v1/api-keys', {
      name: 'x',
      scopes: ['invoices:read'],
    });
    expect(fine.status).toBe(201);
    issuedKeys.push(fine.body.key);
    const patchUp = await keyClient(manager.key).patch(`/api/v1/api-keys/${fine.body.id}`, { scopes: ['*'] });
    expect(patchUp.status).toBe(403);
  });

  it('refuses unknown and malformed scopes with 422', async () => {
    const unknown = await acme.owner.post('/api/v1/api-keys', { name: 'x', scopes: ['rockets:launch'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.scopes[0]).toContain('rockets:launch');
    const malformed = await acme.owner.post('/api/v1/api-keys', { name: 'x', scopes: ['not a scope'] });
    expect(malformed.status).toBe(422);
    const missingName = await acme.owner.post('/api/v1/api-keys', { scopes: ['invoices:read'] });
    expect(missingName.status).toBe(422);
    expect(missingName.body.errors.name).toBeDefined();
  });

  it('makes revoke, delete, patch and rotate take effect on the very next request', async () => {
    const revoked = await createKey(acme.owner, { scopes: ['invoices:read'] });
    expect((await keyClient(revoked.key).get('/api/v1/invoices')).status).toBe(200);
    const revokeRes = await acme.owner.post(`/api/v1/api-keys/${revoked.id}/revoke`);
    expect(revokeRes.status).toBe(200);
    expect(revokeRes.body.status).toBe('revoked');
    expect((await keyClient(revoked.key).get('/api/v1/invoices')).status).toBe(401);

    const deleted = await createKey(acme.owner, { scopes: ['invoices:read'] });
    expect((await keyClient(deleted.key).get('/api/v1/invoices')).status).toBe(200);
    expect((await acme.owner.delete(`/api/v1/api-keys/${deleted.id}`)).status).toBe(204);
    expect((await keyClient(deleted.key).get('/api/v1/invoices')).status).toBe(401);
    expect((await acme.owner.get(`/api/v1/api-keys/${deleted.id}`)).status).toBe(404);

    const patched = await createKey(acme.owner, { scopes: ['invoices:read', 'invoices:create'] });
    expect((await keyClient(patched.key).post('/api/v1/invoices', { customer: 'a', amount: 1 })).status).toBe(
      201,
    );
    expect(
      (await acme.owner.patch(`/api/v1/api-keys/${patched.id}`, { scopes: ['invoices:read'] })).status,
    ).toBe(200);
    expect((await keyClient(patched.key).post('/api/v1/invoices', { customer: 'a', amount: 1 })).status).toBe(
      403,
    );

    const rotated = await createKey(acme.owner, { scopes: ['invoices:read'] });
    expect((await keyClient(rotated.key).get('/api/v1/invoices')).status).toBe(200);
    const rotation = await acme.owner.post(`/api/v1/api-keys/${rotated.id}/rotate`, {
      grace_period_seconds: 0,
    });
    expect(rotation.status).toBe(201);
    issuedKeys.push(rotation.body.key);
    expect((await keyClient(rotated.key).get('/api/v1/invoices')).status).toBe(401);
    expect((await keyClient(rotation.body.key).get('/api/v1/invoices')).status).toBe(200);
  });

  it('revokes by plaintext value (leak reports)', async () => {
    const leaked = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const res = await acme.owner.post('/api/v1/api-keys/revoke', { key: leaked.key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: leaked.id, status: 'revoked' });
    expect((await keyClient(leaked.key).get('/api/v1/invoices')).status).toBe(401);
    expect((await acme.owner.post('/api/v1/api-keys/revoke', { key: 'sk_live_nope' })).status).toBe(404);
  });

  it('rotates with a grace period: both keys work, then only the new one; settings are copied', async () => {
    const old = await createKey(acme.owner, {
      name: 'rotating',
      scopes: ['invoices:read'],
      ip_allowlist: ['127.0.0.1', '::1'],
      rate_limit_tier: 'pro',
    });
    const rotation = await acme.owner.post(`/api/v1/api-keys/${old.id}/rotate`, { grace_period_seconds: 1 });
    expect(rotation.status).toBe(201);
    issuedKeys.push(rotation.body.key);
    expect(rotation.body).toMatchObject({
      name: 'rotating',
      scopes: ['invoices:read'],
      ip_allowlist: ['127.0.0.1', '::1'],
      rate_limit_tier: 'pro',
      rotated_from_id: old.id,
    });
    expect(rotation.body.key).not.toBe(old.key);
    expect((await keyClient(old.key).get('/api/v1/invoices')).status).toBe(200);
    expect((await keyClient(rotation.body.key).get('/api/v1/invoices')).status).toBe(200);
    await sleep(1200);
    expect((await keyClient(old.key).get('/api/v1/invoices')).status).toBe(401);
    expect((await keyClient(rotation.body.key).get('/api/v1/invoices')).status).toBe(200);
  });

  it("never extends a grace period past the old key's own expiry", async () => {
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const old = await createKey(acme.owner, { scopes: ['invoices:read'], expires_at: expiresAt });
    const rotation = await acme.owner.post(`/api/v1/api-keys/${old.id}/rotate`, {
      grace_period_seconds: 86400,
    });
    expect(rotation.status).toBe(201);
    issuedKeys.push(rotation.body.key);
    expect(rotation.body.old_key.expires_at).toBe(expiresAt);
  });

  it('lets exactly one of several concurrent rotations win; the rest get 409', async () => {
    const old = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => acme.owner.post(`/api/v1/api-keys/${old.id}/rotate`, {})),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results) if (r.status === 201) issuedKeys.push(r.body.key);
    const list = await acme.owner.get('/api/v1/api-keys?limit=100');
    expect(list.body.data.filter((k: any) => k.rotated_from_id === old.id)).toHaveLength(1);
  });

  it('paginates with a cursor, without duplicates or gaps', async () => {
    const tenant = await createTenant(t);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push((await createKey(tenant.owner, { name: `k${i}`, scopes: ['invoices:read'] })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = await tenant.owner.get(`/api/v1/api-keys?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.data.map((k: any) => k.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...ids].sort());
    expect((await tenant.owner.get('/api/v1/api-keys?limit=101')).status).toBe(422);
    expect((await tenant.owner.get('/api/v1/api-keys?limit=0')).status).toBe(422);
  });

  it('shows last_used_at and daily usage on GET /api-keys/:id', async () => {
    const used = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const fresh = await acme.owner.get(`/api/v1/api-keys/${used.id}`);
    expect(fresh.body.last_used_at).toBeNull();
    for (let i = 0; i < 3; i++) await keyClient(used.key).get('/api/v1/invoices');
    const after = await acme.owner.get(`/api/v1/api-keys/${used.id}`);
    expect(after.body.last_used_at).not.toBeNull();
    expect(after.body.usage).toEqual([{ day: new Date().toISOString().slice(0, 10), count: 3 }]);
  });

  it('describes a key principal on /auth/me', async () => {
    const { key, id, prefix } = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const me = await keyClient(key).get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      credential_type: 'workspace_key',
      key_id: id,
      prefix,
      environment: 'live',
      tenant: { slug: acme.slug },
      workspace: { id: acme.workspaceId },
      scopes: ['invoices:read'],
    });
  });

  it('binds a workspace key to its workspace: another X-Workspace-ID is 403', async () => {
    const { key } = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const own = await keyClient(key).get('/api/v1/invoices', {
      headers: { 'x-workspace-id': acme.workspaceId },
    });
    expect(own.status).toBe(200);
    const other = await keyClient(key).get('/api/v1/invoices', {
      headers: { 'x-workspace-id': globex.workspaceId },
    });
    expect(other.status).toBe(403);
  });
});
