import { createTenant, TenantFixture } from './support/fixtures';
import { Client } from './support/http';
import {
  coldCache,
  corePhpKey,
  hexKey,
  keygateHmac,
  sanctumToken,
  storedRow,
  voltisToken,
} from './support/legacy-dumps';
import { startApp, TEST_APP_KEY, TestApp } from './support/test-app';
import { createUser, UserFixture } from './support/users';

const UNAUTHENTICATED = { message: 'Unauthenticated.' };
const VOLTIS_APP_KEY = 'voltis-old-application-key-0123456789';

/**
 * Moving in (product.md): dumps of the four source systems, made here from plaintexts, imported
 * over HTTP; then every credential presented exactly as its old system took it.
 */
describe('imports: every legacy format keeps working, presented as before', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;
  let alice: UserFixture;

  beforeAll(async () => {
    t = await startApp({ ALLOW_QUERY_CREDENTIALS: 'true', TENANT_CACHE_TTL_SECONDS: '0' });
    acme = await createTenant(t);
    globex = await createTenant(t);
    alice = await createUser(t, acme, { role: 'admin' });
  });
  afterAll(() => t.close());

  const on = (host: string) => t.client(host);
  const importDump = (client: Client, body: Record<string, unknown>) =>
    client.post('/api/v1/api-keys/import', body);

  describe('sanctum', () => {
    const read = sanctumToken(7, 501, ['invoices.read']);
    const all = sanctumToken(8, 501, JSON.stringify(['*']));
    let body: Record<string, unknown>;

    beforeAll(() => {
      body = { format: 'sanctum', rows: [read.row, all.row], users: [{ id: 501, email: alice.email }] };
    });

    it('imports the tokens as user tokens of the user with that email, and a re-run skips them', async () => {
      const first = await importDump(acme.owner, body);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ format: 'sanctum', imported: 2, skipped: [], refused: [] });
      const again = await importDump(acme.owner, body);
      expect(again.body).toMatchObject({ imported: 0, refused: [] });
      expect(again.body.skipped.sort()).toEqual(['7', '8']);
      const mine = await alice.client.get('/api/v1/users/me/tokens');
      const imported = mine.body.data.filter((k: any) => k.format === 'sanctum');
      expect(imported.map((k: any) => k.prefix).sort()).toEqual(['7|', '8|']);
      expect(imported.find((k: any) => k.prefix === '7|').abilities).toEqual(['invoices:read']);
    });

    it('accepts `Bearer 7|…` with its abilities, and refuses anything else with the one 401', async () => {
      const token = on(acme.host).as(read.plaintext);
      expect((await token.get('/api/v1/invoices')).status).toBe(200);
      const beyond = await token.post('/api/v1/invoices', { customer: 'x', amount: 1 });
      expect(beyond.status).toBe(403);
      expect(beyond.body.required_scope).toBe('invoices:create');
      const me = await token.get('/api/v1/auth/me');
      expect(me.body.user.id).toBe(alice.id);
      // `*` abilities: the user's own permissions (admin) apply.
      const wide = await on(acme.host)
        .as(all.plaintext)
        .post('/api/v1/invoices', { customer: 'x', amount: 1 });
      expect(wide.status).toBe(201);
      for (const wrong of [`7|${'x'.repeat(40)}`, `9|${read.plaintext.split('|')[1]}`]) {
        const res = await on(acme.host).as(wrong).get('/api/v1/invoices');
        expect([res.status, res.body]).toEqual([401, UNAUTHENTICATED]);
      }
      const elsewhere = await on(globex.host).as(read.plaintext).get('/api/v1/invoices');
      expect([elsewhere.status, elsewhere.body]).toEqual([401, UNAUTHENTICATED]);
    });

    it("replaces the SHA-256 by Keygate's HMAC on first use, once", async () => {
      const fresh = sanctumToken(9, 501);
      await importDump(acme.owner, { ...body, rows: [fresh.row] });
      const before = await storedRow(t, acme.tenantId, 'sanctum', '9');
      expect(before).toMatchObject({ secret: '', legacy: fresh.row.token });
      expect((await on(acme.host).as(fresh.plaintext).get('/api/v1/invoices')).status).toBe(200);
      const after = await storedRow(t, acme.tenantId, 'sanctum', '9');
      expect(after).toMatchObject({ secret: keygateHmac(TEST_APP_KEY, fresh.plaintext), legacy: null });
      coldCache(t);
      expect((await on(acme.host).as(fresh.plaintext).get('/api/v1/invoices')).status).toBe(200);
      expect(await storedRow(t, acme.tenantId, 'sanctum', '9')).toEqual(after);
    });

    it('stops a token revoked by its user at once', async () => {
      const gone = sanctumToken(10, 501);
      await importDump(acme.owner, { ...body, rows: [gone.row] });
      const client = on(acme.host).as(gone.plaintext);
      expect((await client.get('/api/v1/invoices')).status).toBe(200);
      expect((await client.post('/api/v1/auth/logout')).status).toBeLessThan(300);
      expect((await client.get('/api/v1/invoices')).status).toBe(401);
    });
  });

  describe('hex-bcrypt (the PHP admin’s 64-hex keys)', () => {
    it('finds a key by its prefix, checks bcrypt ($2y$), and maps resource.action permissions', async () => {
      const key = await hexKey(1);
      const res = await importDump(acme.owner, { format: 'hex-bcrypt', rows: [key.row] });
      expect(res.body).toMatchObject({ imported: 1, refused: [] });
      const ways: Record<string, string>[] = [
        { authorization: `Bearer ${key.plaintext}` },
        { 'x-api-key': key.plaintext },
      ];
      for (const headers of ways) {
        expect((await on(acme.host).get('/api/v1/invoices', { headers })).status).toBe(200);
      }
      const denied = await on(acme.host)
        .as(key.plaintext)
        .post('/api/v1/invoices', { customer: 'x', amount: 1 });
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({
        required_scope: 'invoices:create',
        provided_scopes: ['invoices:read'],
      });
      const list = await acme.owner.get('/api/v1/api-keys?limit=100');
      const shown = list.body.data.find(
        (k: any) => k.format === 'hex-bcrypt' && k.prefix === key.row.key_prefix,
      );
      expect(shown).toMatchObject({
        scopes: ['invoices:read'],
        status: 'active',
        workspace_id: acme.workspaceId,
      });
      expect(list.text).not.toContain(key.row.key_hash);
      const wrong = key.plaintext.slice(0, 8) + 'f'.repeat(56);
      expect(
        (
          await on(acme.host)
            .as(wrong === key.plaintext ? '0'.repeat(64) : wrong)
            .get('/api/v1/invoices')
        ).status,
      ).toBe(401);
    });

    it('keeps revocation, expiry and the IP allowlist of the old rows', async () => {
      const revoked = await hexKey(2, { revoked_at: '2025-07-01 00:00:00' });
      const expired = await hexKey(3, { expires_at: '2025-07-01 00:00:00' });
      const walled = await hexKey(4, { ip_allowlist: JSON.stringify(['10.9.9.9']) });
      const live = await hexKey(5);
      const res = await importDump(acme.owner, {
        format: 'hex-bcrypt',
        rows: [revoked.row, expired.row, walled.row, live.row],
      });
      expect(res.body).toMatchObject({ imported: 4 });
      for (const key of [revoked, expired]) {
        const r = await on(acme.host).as(key.plaintext).get('/api/v1/invoices');
        expect([r.status, r.body]).toEqual([401, UNAUTHENTICATED]);
      }
      const outside = await on(acme.host).as(walled.plaintext).get('/api/v1/invoices');
      expect(outside.status).toBe(403);
      expect(outside.body.reason).toBe('ip_not_allowed');
      const client = on(acme.host).as(live.plaintext);
      expect((await client.get('/api/v1/invoices')).status).toBe(200);
      const row = await storedRow(t, acme.tenantId, 'hex-bcrypt', '5');
      expect((await acme.owner.post(`/api/v1/api-keys/${row.id}/revoke`)).status).toBe(200);
      expect((await client.get('/api/v1/invoices')).status).toBe(401);
    });

    it('is verified as a service too (POST /keys/verify), with its scopes', async () => {
      const key = await hexKey(12);
      await importDump(acme.owner, { format: 'hex-bcrypt', rows: [key.row] });
      const verifier = (await acme.owner.post('/api/v1/api-keys', { name: 'v', scopes: ['keys:verify'] }))
        .body.key;
      const ok = await on(acme.host)
        .as(verifier)
        .post('/api/v1/keys/verify', { key: key.plaintext, scopes: ['invoices:read'] });
      expect(ok.body).toMatchObject({
        valid: true,
        code: 'VALID',
        workspace_id: acme.workspaceId,
        scopes: ['invoices:read'],
      });
      const beyond = await on(acme.host)
        .as(verifier)
        .post('/api/v1/keys/verify', { key: key.plaintext, scopes: ['invoices:create'] });
      expect(beyond.body.code).toBe('INSUFFICIENT_SCOPES');
      const wrong = await on(acme.host)
        .as(verifier)
        .post('/api/v1/keys/verify', { key: key.plaintext.replace(/.$/, (c) => (c === '0' ? '1' : '0')) });
      expect(wrong.body.code).toBe('NOT_FOUND');
    });

    it('checks bcrypt once: the hash is replaced on first use, and a cold second check is fast', async () => {
      const key = await hexKey(6, {}, 11);
      await importDump(acme.owner, { format: 'hex-bcrypt', rows: [key.row] });
      const before = await storedRow(t, acme.tenantId, 'hex-bcrypt', '6');
      expect(before.legacy).toBe(key.row.key_hash);
      coldCache(t);
      let start = performance.now();
      expect((await on(acme.host).as(key.plaintext).get('/api/v1/invoices')).status).toBe(200);
      const first = performance.now() - start;
      const after = await storedRow(t, acme.tenantId, 'hex-bcrypt', '6');
      expect(after).toEqual({
        id: before.id,
        secret: keygateHmac(TEST_APP_KEY, key.plaintext),
        legacy: null,
      });
      coldCache(t);
      start = performance.now();
      expect((await on(acme.host).as(key.plaintext).get('/api/v1/invoices')).status).toBe(200);
      const second = performance.now() - start;
      expect(await storedRow(t, acme.tenantId, 'hex-bcrypt', '6')).toEqual(after);
      // bcrypt at cost 11 takes well over 50 ms; an HMAC and one indexed query, a few.
      expect(first).toBeGreaterThan(50);
      expect(second).toBeLessThan(first / 2);
    });

    it('lets the same value through many concurrent first uses with one upgrade', async () => {
      const key = await hexKey(11);
      await importDump(acme.owner, { format: 'hex-bcrypt', rows: [key.row] });
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => on(acme.host).as(key.plaintext).get('/api/v1/invoices')),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect((await storedRow(t, acme.tenantId, 'hex-bcrypt', '11')).legacy).toBeNull();
    });
  });

  describe('voltis', () => {
    it('accepts ClientID + Bearer, and client_id/api_token in the query and body when allowed', async () => {
      const header = voltisToken('c-header-1', 42, VOLTIS_APP_KEY);
      const query = voltisToken('c-query-2', 42, VOLTIS_APP_KEY);
      const inBody = voltisToken('c-body-3', 42, VOLTIS_APP_KEY);
      const res = await importDump(acme.owner, {
        format: 'voltis',
        rows: [header.row, query.row, inBody.row],
        users: [{ id: 42, email: alice.email }],
        legacy_key: VOLTIS_APP_KEY,
      });
      expect(res.body).toMatchObject({ imported: 3, refused: [] });
      const headers = { clientid: 'c-header-1', authorization: `Bearer ${header.plaintext}` };
      expect((await on(acme.host).get('/api/v1/invoices', { headers })).status).toBe(200);
      const me = await on(acme.host).get('/api/v1/auth/me', { headers });
      expect(me.body.user.id).toBe(alice.id);
      const wrongClient = await on(acme.host).get('/api/v1/invoices', {
        headers: { clientid: 'c-query-2', authorization: `Bearer ${header.plaintext}` },
      });
      expect([wrongClient.status, wrongClient.body]).toEqual([401, UNAUTHENTICATED]);
      const noClient = await on(acme.host).as(header.plaintext).get('/api/v1/invoices');
      expect(noClient.status).toBe(401);
      const viaQuery = await on(acme.host).get(
        `/api/v1/invoices?client_id=c-query-2&api_token=${query.plaintext}`,
      );
      expect(viaQuery.status).toBe(200);
      const viaBody = await on(acme.host).post('/api/v1/invoices', {
        client_id: 'c-body-3',
        api_token: inBody.plaintext,
        customer: 'Voltis user',
        amount: 3,
      });
      expect(viaBody.status).toBe(201);
      expect(viaBody.body.customer).toBe('Voltis user');
      const row = await storedRow(t, acme.tenantId, 'voltis', 'c-body-3');
      expect(row).toMatchObject({ secret: keygateHmac(TEST_APP_KEY, inBody.plaintext), legacy: null });
    });

    it('refuses a Voltis dump without the old application key', async () => {
      const token = voltisToken('c-nokey', 42, VOLTIS_APP_KEY);
      const res = await importDump(acme.owner, {
        format: 'voltis',
        rows: [token.row],
        users: [{ id: 42, email: alice.email }],
      });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['legacy_key']);
    });
  });

  describe('prefixed-bcrypt (Core PHP’s old sk_live_/sk_test_)', () => {
    it('accepts the old shape by Bearer and Basic, with environment and tier, and rotates into a native key', async () => {
      const live = await corePhpKey(31, 'live');
      const test = await corePhpKey(32, 'test', { rate_limit_tier: null });
      const res = await importDump(acme.owner, { format: 'prefixed-bcrypt', rows: [live.row, test.row] });
      expect(res.body).toMatchObject({ imported: 2, refused: [] });
      const bearer = await on(acme.host).as(live.plaintext).get('/api/v1/invoices');
      expect(bearer.status).toBe(200);
      expect(bearer.headers['x-ratelimit-limit']).toBe('10000');
      const basic = Buffer.from(`${live.plaintext}:`).toString('base64');
      const viaBasic = await on(acme.host).get('/api/v1/invoices', {
        headers: { authorization: `Basic ${basic}` },
      });
      expect(viaBasic.status).toBe(200);
      const me = await on(acme.host).as(test.plaintext).get('/api/v1/auth/me');
      expect(me.body.environment).toBe('test');
      const row = await storedRow(t, acme.tenantId, 'prefixed-bcrypt', '31');
      const shown = await acme.owner.get(`/api/v1/api-keys/${row.id}`);
      expect(shown.body).toMatchObject({
        format: 'prefixed-bcrypt',
        prefix: live.row.key_prefix,
        rate_limit_tier: 'pro',
      });
      const rotated = await acme.owner.post(`/api/v1/api-keys/${row.id}/rotate`, {
        grace_period_seconds: 3600,
      });
      expect(rotated.status).toBe(201);
      expect(rotated.body.key).toMatch(/^sk_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}$/);
      expect(rotated.body).toMatchObject({
        format: 'keygate',
        scopes: ['invoices:read', 'invoices:create'],
        rate_limit_tier: 'pro',
      });
      expect((await on(acme.host).as(rotated.body.key).get('/api/v1/invoices')).status).toBe(200);
      // The old key works through its grace period.
      expect((await on(acme.host).as(live.plaintext).get('/api/v1/invoices')).status).toBe(200);
    });
  });

  describe('refusals', () => {
    it('refuses a dump with a malformed row whole, naming the row', async () => {
      const good = await hexKey(21);
      const res = await importDump(acme.owner, {
        format: 'hex-bcrypt',
        rows: [
          good.row,
          { ...good.row, id: 22, key_hash: 'plaintext-not-bcrypt' },
          { ...good.row, id: 23, expires_at: 'soon' },
        ],
      });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors).sort()).toEqual(['rows.2', 'rows.3']);
      expect(res.body.errors['rows.2'][0]).toMatch(/key_hash/);
      expect((await on(acme.host).as(good.plaintext).get('/api/v1/invoices')).status).toBe(401);
    });

    it('refuses unknown users and unknown scopes, unless scopes are registered', async () => {
      const stranger = sanctumToken(41, 999);
      const users = await importDump(acme.owner, {
        format: 'sanctum',
        rows: [stranger.row],
        users: [{ id: 999, email: 'nobody@nowhere.test' }],
      });
      expect(users.status).toBe(422);
      expect(users.body.errors['rows.1'][0]).toMatch(/no Keygate user/);
      const custom = await hexKey(42, { permissions: ['reports.export'] });
      const unknown = await importDump(acme.owner, { format: 'hex-bcrypt', rows: [custom.row] });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors['rows.1'][0]).toMatch(/unknown scopes: reports:export/);
      const registered = await importDump(acme.owner, {
        format: 'hex-bcrypt',
        rows: [custom.row],
        register_scopes: true,
      });
      expect(registered.body).toMatchObject({ imported: 1 });
      const catalog = await acme.owner.get('/api/v1/scopes');
      expect(catalog.body.data.map((s: any) => s.name)).toContain('reports:export');
    });

    it('lets a caller import only what it holds (the one authorization rule)', async () => {
      const viewer = await createUser(t, acme, { role: 'member' });
      const wide = await hexKey(51, { permissions: ['*'] });
      const refused = await importDump(viewer.client, { format: 'hex-bcrypt', rows: [wide.row] });
      expect(refused.status).toBe(403);
      const ownerToken = sanctumToken(52, 1);
      const forOwner = await importDump(viewer.client, {
        format: 'sanctum',
        rows: [ownerToken.row],
        users: [{ id: 1, email: `owner@${acme.slug}.test` }],
      });
      expect(forOwner.status).toBe(403);
      expect((await on(acme.host).as(wide.plaintext).get('/api/v1/invoices')).status).toBe(401);
    });

    it('keeps every imported format working when another one is imported', async () => {
      const token = sanctumToken(70, 501);
      const key = await hexKey(71);
      const users = [{ id: 501, email: alice.email }];
      expect((await importDump(acme.owner, { format: 'sanctum', rows: [token.row], users })).status).toBe(
        200,
      );
      expect((await importDump(acme.owner, { format: 'hex-bcrypt', rows: [key.row] })).status).toBe(200);
      expect((await on(acme.host).as(token.plaintext).get('/api/v1/invoices')).status).toBe(200);
      expect((await on(acme.host).as(key.plaintext).get('/api/v1/invoices')).status).toBe(200);
    });

    it('never tries a legacy look-up on a tenant without imports', async () => {
      const key = await hexKey(61);
      const res = await on(globex.host).as(key.plaintext).get('/api/v1/invoices');
      expect([res.status, res.body]).toEqual([401, UNAUTHENTICATED]);
    });

    it('logs no legacy plaintext, and counts unknown legacy values as failures until 429 (last: it locks the address)', async () => {
      expect(t.logger.text()).not.toMatch(/[0-9a-f]{64}|\d+\|[A-Za-z0-9]{40}|[0-9a-f]{160}/);
      const statuses = new Set<number>();
      for (let i = 0; i < 70; i++) {
        const unknown = (await hexKey(1000 + i)).plaintext;
        statuses.add((await on(acme.host).as(unknown).get('/api/v1/invoices')).status);
      }
      expect([...statuses].sort()).toEqual([401, 429]);
    });
  });
});
