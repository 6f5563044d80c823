import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { createTenant, TenantFixture } from './support/fixtures';
import { createKey, issuedKeys, sleep } from './support/keys';
import { startApp, TestApp } from './support/test-app';

describe('API keys: expiry, allowlists, environments, verification and secrecy', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;

  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
    globex = await createTenant(t);
    issuedKeys.push(acme.token, globex.token);
  });

  afterAll(() => t.close().catch(() => undefined));

  const keyClient = (key: string) => t.client(acme.host, key);

  it('refuses an expires_at in the past with 422 and lets a key expire mid-test', async () => {
    const past = await acme.owner.post('/api/v1/api-keys', {
      name: 'x',
      scopes: ['invoices:read'],
      expires_at: '2020-01-01T00:00:00Z',
    });
    expect(past.status).toBe(422);
    expect(past.body.errors.expires_at).toBeDefined();
    const soon = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      expires_at: new Date(Date.now() + 1000).toISOString(),
    });
    expect((await keyClient(soon.key).get('/api/v1/invoices')).status).toBe(200);
    await sleep(1100);
    const expired = await keyClient(soon.key).get('/api/v1/invoices');
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ message: 'Unauthenticated.' });
    expect((await acme.owner.get(`/api/v1/api-keys/${soon.id}`)).body.status).toBe('expired');
  });

  it('extends a key by PATCHing expires_at', async () => {
    const key = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      expires_at: new Date(Date.now() + 60_000).toISOString(),
    });
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const res = await acme.owner.patch(`/api/v1/api-keys/${key.id}`, { expires_at: later });
    expect(res.status).toBe(200);
    expect(res.body.expires_at).toBe(later);
  });

  it('enforces IP allowlists (IPv4 CIDR, IPv6, IPv4-mapped clients) with 403 from elsewhere', async () => {
    const elsewhere = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      ip_allowlist: ['10.0.0.0/8'],
    });
    const denied = await keyClient(elsewhere.key).get('/api/v1/invoices');
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ message: 'This action is unauthorized.', reason: 'ip_not_allowed' });

    // The test server listens on '::', so an IPv4 client arrives as ::ffff:127.0.0.1.
    const loopbackV4 = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      ip_allowlist: ['127.0.0.0/8'],
    });
    expect((await keyClient(loopbackV4.key).get('/api/v1/invoices')).status).toBe(200);
    expect((await keyClient(loopbackV4.key).get('/api/v1/invoices', { address: '::1' })).status).toBe(403);

    const loopbackV6 = await createKey(acme.owner, { scopes: ['invoices:read'], ip_allowlist: ['::1/128'] });
    expect((await keyClient(loopbackV6.key).get('/api/v1/invoices', { address: '::1' })).status).toBe(200);
    expect((await keyClient(loopbackV6.key).get('/api/v1/invoices')).status).toBe(403);
  });

  it('ignores a spoofed X-Forwarded-For unless TRUST_PROXY is on', async () => {
    const office = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      ip_allowlist: ['203.0.113.0/24'],
    });
    const spoofed = await keyClient(office.key).get('/api/v1/invoices', {
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(spoofed.status).toBe(403);

    const proxied = await startApp({ TRUST_PROXY: 'true' });
    try {
      const tenant = await createTenant(proxied);
      issuedKeys.push(tenant.token);
      const key = await createKey(tenant.owner, {
        scopes: ['invoices:read'],
        ip_allowlist: ['203.0.113.0/24', '2001:db8::/32'],
      });
      const client = proxied.client(tenant.host, key.key);
      // One proxy hop: the proxy appended the client's real address; what the client wrote in
      // front of it (an allowed address, here) is never read.
      expect(
        (
          await client.get('/api/v1/invoices', {
            headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' },
          })
        ).status,
      ).toBe(200);
      const spoof = await client.get('/api/v1/invoices', {
        headers: { 'x-forwarded-for': '203.0.113.7, 198.51.100.1' },
      });
      expect(spoof.status).toBe(403);
      expect(spoof.body).toEqual({ message: 'This action is unauthorized.', reason: 'ip_not_allowed' });
      expect(
        (await client.get('/api/v1/invoices', { headers: { 'x-forwarded-for': '2001:db8::42' } })).status,
      ).toBe(200);
      expect(
        (await client.get('/api/v1/invoices', { headers: { 'x-forwarded-for': '198.51.100.1' } })).status,
      ).toBe(403);
    } finally {
      await proxied.close();
    }
  });

  it('refuses invalid allowlist entries with 422', async () => {
    for (const bad of [['10.0.0.0/33'], ['localhost'], ['1.2.3'], ['::g']]) {
      const res = await acme.owner.post('/api/v1/api-keys', {
        name: 'x',
        scopes: ['invoices:read'],
        ip_allowlist: bad,
      });
      expect([bad, res.status]).toEqual([bad, 422]);
      expect(res.body.errors.ip_allowlist[0]).toContain(bad[0]);
    }
  });

  it('keeps test keys to test keys', async () => {
    const testKey = await createKey(acme.owner, {
      environment: 'test',
      scopes: ['api-keys:*', 'invoices:read'],
    });
    expect(testKey.key.startsWith('sk_test_')).toBe(true);
    const live = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const asTest = keyClient(testKey.key);
    const madeTest = await asTest.post('/api/v1/api-keys', { name: 'child', scopes: ['invoices:read'] });
    expect(madeTest.status).toBe(201);
    expect(madeTest.body.environment).toBe('test');
    issuedKeys.push(madeTest.body.key);
    expect(
      (await asTest.post('/api/v1/api-keys', { name: 'x', environment: 'live', scopes: ['invoices:read'] }))
        .status,
    ).toBe(403);
    expect((await asTest.post(`/api/v1/api-keys/${live.id}/revoke`)).status).toBe(403);
    // Reading is not changing: a test key reads what its scopes allow, live keys included.
    expect((await asTest.get(`/api/v1/api-keys/${live.id}`)).status).toBe(200);
    const listed = await asTest.get('/api/v1/api-keys?limit=100');
    expect(listed.body.data.some((k: any) => k.environment === 'live')).toBe(true);
    expect((await asTest.patch(`/api/v1/api-keys/${live.id}`, { name: 'renamed' })).body).toMatchObject({
      reason: 'test_credential',
    });
    expect((await asTest.get('/api/v1/auth/me')).body.environment).toBe('test');
  });

  it('verifies keys as a service with every code', async () => {
    const verifier = await createKey(acme.owner, { scopes: ['keys:verify'] });
    const ask = (body: Record<string, unknown>) => keyClient(verifier.key).post('/api/v1/keys/verify', body);
    const good = await createKey(acme.owner, { scopes: ['invoices:read'], ip_allowlist: ['192.0.2.0/24'] });
    const valid = await ask({ key: good.key, scopes: ['invoices.read'], ip: '192.0.2.9' });
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({
      valid: true,
      code: 'VALID',
      key_id: good.id,
      workspace_id: acme.workspaceId,
      environment: 'live',
      scopes: ['invoices:read'],
    });
    expect(valid.body.ratelimit).toMatchObject({ limit: 1000, window_seconds: 3600, remaining: 999 });
    expect(valid.body.ratelimit.reset).toBeGreaterThan(Date.now() / 1000);
    expect((await ask({ key: good.key, scopes: ['invoices:create'], ip: '192.0.2.9' })).body.code).toBe(
      'INSUFFICIENT_SCOPES',
    );
    expect((await ask({ key: good.key, ip: '198.51.100.1' })).body.code).toBe('FORBIDDEN');
    // An allowlisted key is not VALID for an address nobody gave.
    expect((await ask({ key: good.key })).body.code).toBe('FORBIDDEN');
    expect((await ask({ key: 'sk_live_garbage' })).body).toMatchObject({
      valid: false,
      code: 'NOT_FOUND',
      key_id: null,
    });
    const foreign = await createKey(globex.owner, { scopes: ['invoices:read'] });
    expect((await ask({ key: foreign.key })).body.code).toBe('NOT_FOUND');
    const revoked = await createKey(acme.owner, { scopes: ['invoices:read'] });
    await acme.owner.post(`/api/v1/api-keys/${revoked.id}/revoke`);
    expect((await ask({ key: revoked.key })).body.code).toBe('REVOKED');
    const expiring = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      expires_at: new Date(Date.now() + 500).toISOString(),
    });
    await sleep(600);
    expect((await ask({ key: expiring.key })).body.code).toBe('EXPIRED');
    const plain = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const noScope = await keyClient(plain.key).post('/api/v1/keys/verify', { key: good.key });
    expect(noScope.status).toBe(403);
    expect(noScope.body.required_scope).toBe('keys:verify');
    expect((await ask({})).status).toBe(422);
  });

  it("counts verifications against the key's own budget and answers RATE_LIMITED past it", async () => {
    const verifier = await createKey(acme.owner, { scopes: ['keys:verify'] });
    const ask = (key: string) => keyClient(verifier.key).post('/api/v1/keys/verify', { key });
    const small = await createKey(acme.owner, {
      scopes: ['invoices:read'],
      rate_limit: { limit: 3, window_seconds: 60 },
    });
    expect((await ask(small.key)).body).toMatchObject({
      code: 'VALID',
      ratelimit: { limit: 3, remaining: 2 },
    });
    expect((await keyClient(small.key).get('/api/v1/invoices')).status).toBe(200);
    expect((await ask(small.key)).body).toMatchObject({ code: 'VALID', ratelimit: { remaining: 0 } });
    const limited = await ask(small.key);
    expect(limited.status).toBe(200);
    expect(limited.body).toMatchObject({
      valid: false,
      code: 'RATE_LIMITED',
      key_id: small.id,
      ratelimit: { remaining: 0 },
    });
    // One budget: the key's own API calls are refused too.
    expect((await keyClient(small.key).get('/api/v1/invoices')).status).toBe(429);
  });

  it('discovers code scopes into the catalog and accepts tenant custom scopes', async () => {
    const catalog = await acme.owner.get('/api/v1/scopes');
    expect(catalog.status).toBe(200);
    const names = catalog.body.data.map((s: any) => s.name);
    for (const scope of [
      'invoices:create',
      'invoices:read',
      'api-keys:create',
      'keys:verify',
      'audit-logs:read',
    ]) {
      expect(names).toContain(scope);
    }
    const created = await acme.owner.post('/api/v1/scopes', {
      name: 'Reports.Export',
      description: 'Export reports',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'reports:export', source: 'custom' });
    expect((await acme.owner.post('/api/v1/scopes', { name: 'reports:export' })).status).toBe(422);
    expect((await acme.owner.post('/api/v1/scopes', { name: 'reports:*' })).status).toBe(422);
    const granted = await createKey(acme.owner, { scopes: ['reports:export'] });
    expect(granted.body.scopes).toEqual(['reports:export']);
    // Custom scopes are the tenant's own: another tenant cannot grant them.
    expect(
      (await globex.owner.post('/api/v1/api-keys', { name: 'x', scopes: ['reports:export'] })).status,
    ).toBe(422);
    const verifier = await createKey(acme.owner, { scopes: ['keys:verify'] });
    const check = await keyClient(verifier.key).post('/api/v1/keys/verify', {
      key: granted.key,
      scopes: ['reports:export'],
    });
    expect(check.body.code).toBe('VALID');
  });

  it('writes an audit row for every key change and lists them newest first', async () => {
    const key = await createKey(acme.owner, { name: 'audited', scopes: ['invoices:read'] });
    await acme.owner.patch(`/api/v1/api-keys/${key.id}`, { name: 'audited-2' });
    const rotation = await acme.owner.post(`/api/v1/api-keys/${key.id}/rotate`, { grace_period_seconds: 0 });
    issuedKeys.push(rotation.body.key);
    await acme.owner.post(`/api/v1/api-keys/${rotation.body.id}/revoke`);
    await acme.owner.delete(`/api/v1/api-keys/${rotation.body.id}`);
    const logs = await acme.owner.get(`/api/v1/audit-logs?target_id=${key.id}`);
    expect(logs.status).toBe(200);
    expect(logs.body.data.map((r: any) => r.action)).toEqual([
      'api_key.rotated',
      'api_key.updated',
      'api_key.created',
    ]);
    expect(logs.body.data[0]).toMatchObject({
      actor_type: 'user_token',
      actor_id: acme.ownerId,
      target_type: 'api_key',
      workspace_id: acme.workspaceId,
    });
    expect(logs.body.data[0].ip).toMatch(/127\.0\.0\.1|::1/);
    const successor = await acme.owner.get(`/api/v1/audit-logs?target_id=${rotation.body.id}`);
    expect(successor.body.data.map((r: any) => r.action)).toEqual([
      'api_key.deleted',
      'api_key.revoked',
      'api_key.created',
    ]);
    const reader = await createKey(acme.owner, { scopes: ['invoices:read'] });
    expect((await keyClient(reader.key).get('/api/v1/audit-logs')).status).toBe(403);
    expect((await globex.owner.get(`/api/v1/audit-logs?target_id=${key.id}`)).body.data).toEqual([]);
  });

  it('writes no audit row when the change is refused', async () => {
    const before = await acme.owner.get('/api/v1/audit-logs?limit=100&action=api_key.created');
    await acme.owner.post('/api/v1/api-keys', { name: 'x', scopes: ['nope:nope'] });
    const after = await acme.owner.get('/api/v1/audit-logs?limit=100&action=api_key.created');
    expect(after.body.data.length).toBe(before.body.data.length);
  });

  // Last in this file, and a test so CI counts it: everything it stored, with the app closed.
  it('leaves no plaintext key in any table, the SQLite file (and its WAL) or the log', async () => {
    // Flush batched usage and close the pool first, so the file holds everything it ever will.
    const dataSource = t.app.get(DataSource);
    const tables = dataSource.entityMetadatas.map((m) => m.tableName);
    const dump: string[] = [];
    for (const table of tables) dump.push(JSON.stringify(await dataSource.query(`SELECT * FROM ${table}`)));
    const sqliteFile = t.sqliteFile;
    await t.app.close();
    const stores = [dump.join('\n'), t.logger.text()];
    if (sqliteFile) stores.push(readFileSync(sqliteFile, 'latin1') + readWal(sqliteFile));
    expect(issuedKeys.length).toBeGreaterThan(10);
    for (const store of stores) {
      for (const key of issuedKeys) {
        // The secret part (after the public key id) must appear nowhere.
        expect(store.includes(key.slice(-38))).toBe(false);
      }
    }
    expect(t.logger.text()).toContain('authentication failed');
  });
});

describe('API keys: query-string credentials when allowed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ ALLOW_QUERY_CREDENTIALS: 'true' });
  });
  afterAll(() => t.close());

  it('accepts ?api_token= and a body api_token only with ALLOW_QUERY_CREDENTIALS=true', async () => {
    const tenant = await createTenant(t);
    const key = await createKey(tenant.owner, { scopes: ['invoices:*'] });
    const client = t.client(tenant.host);
    expect((await client.get(`/api/v1/invoices?api_token=${key.key}`)).status).toBe(200);
    const created = await client.post('/api/v1/invoices', { customer: 'a', amount: 1, api_token: key.key });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ customer: 'a', amount: 1, workspace_id: expect.any(String) });
    // Routes with a query DTO (which refuses unknown fields) never see the credential either.
    const reader = await createKey(tenant.owner, { scopes: ['api-keys:read'] });
    const listed = await client.get(`/api/v1/api-keys?limit=5&api_token=${reader.key}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.length).toBeGreaterThan(0);
    // Two different credentials in one request are refused as ambiguous.
    const other = await createKey(tenant.owner, { scopes: ['invoices:*'] });
    expect((await client.get(`/api/v1/invoices?api_token=${key.key}`, { token: other.key })).status).toBe(
      401,
    );
  });
});

function readWal(file: string): string {
  try {
    return readFileSync(`${file}-wal`, 'latin1');
  } catch {
    return '';
  }
}
