import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTenant, TenantFixture } from './support/fixtures';
import { call, Client } from './support/http';
import { createKey } from './support/keys';
import { hexKey, sanctumToken, storedRow, voltisToken } from './support/legacy-dumps';
import { startApp, TestApp } from './support/test-app';
import { createUser, createWorkspace, UserFixture } from './support/users';

const OLD_KEY = 'voltis-old-application-key-first-batch';
const OTHER_KEY = 'voltis-old-application-key-second-batch';

/** Imports under attack (the adversarial review of the import): each case once failed. */
describe('imports: what a caller may not do through an import', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let member: UserFixture;
  let viewer: UserFixture;
  let alice: UserFixture;

  beforeAll(async () => {
    t = await startApp({ TENANT_CACHE_TTL_SECONDS: '0' });
    acme = await createTenant(t);
    member = await createUser(t, acme, { role: 'member' });
    viewer = await createUser(t, acme, { role: 'viewer' });
    alice = await createUser(t, acme, { role: 'admin' });
  });
  afterAll(() => t.close());

  const importDump = (client: Client, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    client.post('/api/v1/api-keys/import', body, { headers });
  const stored = async (sql: string, params: unknown[]) => t.app.get(DataSource).query(sql, params);

  describe('F1: a user token imported for another user', () => {
    it('refuses a member importing `*` abilities for a viewer (the token would follow any later grant)', async () => {
      const all = sanctumToken(9001, 1, ['*']);
      const res = await importDump(member.client, {
        format: 'sanctum',
        rows: [all.row],
        users: [{ id: 1, email: viewer.email }],
      });
      expect(res.status).toBe(403);
      expect(res.body.reason).toBe('exceeds_caller_grants');
      const rows = await stored('SELECT id FROM api_keys WHERE tenant_id = ? AND legacy_id = ?', [
        acme.tenantId,
        '9001',
      ]);
      expect(rows).toEqual([]);
    });

    it('refuses a member importing a token for a user in no workspace, even with read abilities', async () => {
      const loner = await createUser(t, acme, {});
      const read = sanctumToken(9002, 2, ['invoices.read']);
      const res = await importDump(member.client, {
        format: 'sanctum',
        rows: [read.row],
        users: [{ id: 2, email: loner.email }],
      });
      expect(res.status).toBe(403);
      expect(res.body.required_scope).toBe('users:update');
    });

    it('still lets a user import their own token within their abilities, and the owner anyone’s', async () => {
      const own = sanctumToken(9003, 3, ['invoices.read']);
      const mine = await importDump(member.client, {
        format: 'sanctum',
        rows: [own.row],
        users: [{ id: 3, email: member.email }],
      });
      expect([mine.status, mine.body.imported]).toEqual([200, 1]);
      const all = sanctumToken(9004, 4, ['*']);
      const theirs = await importDump(acme.owner, {
        format: 'sanctum',
        rows: [all.row],
        users: [{ id: 4, email: viewer.email }],
      });
      expect([theirs.status, theirs.body.imported]).toEqual([200, 1]);
    });
  });

  describe('F2: the Voltis application key', () => {
    it('keeps each batch verifying under its own key; an import without rows changes nothing', async () => {
      const first = voltisToken('c-first', 7, OLD_KEY);
      const res = await importDump(acme.owner, {
        format: 'voltis',
        rows: [first.row],
        users: [{ id: 7, email: alice.email }],
        legacy_key: OLD_KEY,
      });
      expect(res.body).toMatchObject({ imported: 1, refused: [] });
      const settings = async () =>
        (await stored('SELECT legacy_formats AS f FROM tenants WHERE id = ?', [acme.tenantId]))[0].f;
      const before = await settings();
      const empty = await importDump(acme.owner, { format: 'voltis', rows: [], legacy_key: OTHER_KEY });
      expect(empty.body).toMatchObject({ imported: 0 });
      expect(await settings()).toEqual(before);
      const second = voltisToken('c-second', 7, OTHER_KEY);
      const more = await importDump(acme.owner, {
        format: 'voltis',
        rows: [second.row],
        users: [{ id: 7, email: alice.email }],
        legacy_key: OTHER_KEY,
      });
      expect(more.body).toMatchObject({ imported: 1, refused: [] });
      for (const [clientid, token] of [
        ['c-first', first.plaintext],
        ['c-second', second.plaintext],
      ]) {
        const headers = { clientid, authorization: `Bearer ${token}` };
        expect((await t.client(acme.host).get('/api/v1/invoices', { headers })).status).toBe(200);
      }
    });

    it('refuses a test credential (test_credential), and audits the sealed key per row', async () => {
      const testKey = await createKey(acme.owner, {
        environment: 'test',
        scopes: ['api-keys:create', 'api-keys:read'],
      });
      const res = await importDump(t.client(acme.host, testKey.key), {
        format: 'voltis',
        rows: [],
        legacy_key: OTHER_KEY,
      });
      expect([res.status, res.body.reason]).toEqual([403, 'test_credential']);
      const audit = await stored(
        "SELECT metadata FROM audit_logs WHERE tenant_id = ? AND action = 'api_key.imported' AND metadata LIKE ?",
        [acme.tenantId, '%c-second%'],
      );
      expect(audit).toHaveLength(1);
      const metadata = audit[0].metadata;
      expect(typeof metadata === 'string' ? JSON.parse(metadata) : metadata).toMatchObject({
        format: 'voltis',
        legacy_key: 'sealed',
      });
    });
  });

  describe('F4: register_scopes', () => {
    it('needs scopes:create, like POST /api/v1/scopes', async () => {
      const key = await hexKey(9101, { permissions: ['ledgers.read'] });
      const res = await importDump(member.client, {
        format: 'hex-bcrypt',
        rows: [key.row],
        register_scopes: true,
      });
      expect([res.status, res.body.required_scope]).toEqual([403, 'scopes:create']);
      const scopes = await acme.owner.get('/api/v1/scopes');
      expect(scopes.text).not.toContain('ledgers:read');
    });

    it('registers only the scopes of rows actually imported (not of skipped ones)', async () => {
      const key = await hexKey(9102, { permissions: ['invoices.read'] });
      const first = await importDump(acme.owner, { format: 'hex-bcrypt', rows: [key.row] });
      expect(first.body).toMatchObject({ imported: 1 });
      const again = await importDump(acme.owner, {
        format: 'hex-bcrypt',
        rows: [{ ...key.row, permissions: ['phantoms.read'] }],
        register_scopes: true,
      });
      expect(again.body).toMatchObject({ imported: 0, skipped: ['9102'] });
      const scopes = await acme.owner.get('/api/v1/scopes');
      expect(scopes.status).toBe(200);
      expect(scopes.text).not.toContain('phantoms:read');
    });
  });

  describe('F5: the same legacy id elsewhere', () => {
    it('refuses another key with an id imported into another workspace, naming nothing of it', async () => {
      const other = await createWorkspace(acme, 'F5 workspace');
      const first = await hexKey(9201);
      const res = await importDump(acme.owner, { format: 'hex-bcrypt', rows: [first.row] });
      expect(res.body).toMatchObject({ imported: 1 });
      const second = await hexKey(9201);
      const clash = await importDump(
        acme.owner,
        { format: 'hex-bcrypt', rows: [second.row] },
        { 'x-workspace-id': other },
      );
      expect(clash.status).toBe(422);
      expect(Object.keys(clash.body.errors)).toEqual(['rows.1']);
      expect(clash.text).not.toContain(acme.workspaceId);
      // The same credential into the same workspace is still a harmless re-run.
      const rerun = await importDump(acme.owner, { format: 'hex-bcrypt', rows: [first.row] });
      expect(rerun.body).toMatchObject({ imported: 0, skipped: ['9201'] });
    });

    it('refuses the same id with another hash in the same workspace', async () => {
      const first = await hexKey(9202);
      await importDump(acme.owner, { format: 'hex-bcrypt', rows: [first.row] });
      const second = await hexKey(9202);
      const clash = await importDump(acme.owner, { format: 'hex-bcrypt', rows: [second.row] });
      expect(clash.status).toBe(422);
      expect(clash.body.errors['rows.1'][0]).toContain('imported before as a different credential');
    });
  });
  describe('F6: impossible dates and ambiguous users', () => {
    it('refuses a date that does not exist instead of rolling it over', async () => {
      for (const [n, expires] of [
        [9401, '2025-02-30 10:00:00'],
        [9402, '2025-04-31'],
        [9403, '2025-06-01T24:30:00Z'],
      ] as const) {
        const key = await hexKey(n, { expires_at: expires });
        const res = await importDump(acme.owner, { format: 'hex-bcrypt', rows: [key.row] });
        expect([res.status, Object.keys(res.body.errors ?? {})]).toEqual([422, ['rows.1']]);
        expect(res.body.errors['rows.1'][0]).toContain('expires_at');
      }
      const leap = await hexKey(9404, { expires_at: '2028-02-29 10:00:00' });
      const ok = await importDump(acme.owner, { format: 'hex-bcrypt', rows: [leap.row] });
      expect(ok.body).toMatchObject({ imported: 1 });
    });

    it('refuses a users list naming one id with two emails', async () => {
      const token = sanctumToken(9405, 6, ['invoices.read']);
      const res = await importDump(acme.owner, {
        format: 'sanctum',
        rows: [token.row],
        users: [
          { id: 6, email: viewer.email },
          { id: 6, email: alice.email },
        ],
      });
      expect([res.status, Object.keys(res.body.errors ?? {})]).toEqual([422, ['users.2']]);
    });
  });

  describe('F9: budgets through an import', () => {
    it('gives the keys a key imports its own budget, as the keys it creates: imports multiply no budget', async () => {
      const parent = await createKey(acme.owner, { scopes: ['api-keys:create', 'invoices:read'] });
      const caller = t.client(acme.host, parent.key);
      const legacy = await hexKey(9701);
      const res = await importDump(caller, { format: 'hex-bcrypt', rows: [legacy.row] });
      expect([res.status, res.body.imported]).toEqual([200, 1]);
      const [imported] = await stored(
        'SELECT lineage_id AS lineage FROM api_keys WHERE tenant_id = ? AND legacy_id = ?',
        [acme.tenantId, '9701'],
      );
      expect(imported.lineage).toBe(parent.id);
      // One window counts both: each answer's remaining budget is one less than the one before.
      const remaining: number[] = [];
      for (const key of [parent.key, legacy.plaintext, parent.key, legacy.plaintext]) {
        const answer = await t.client(acme.host, key).get('/api/v1/invoices');
        expect(answer.status).toBe(200);
        remaining.push(Number(answer.headers['x-ratelimit-remaining']));
      }
      expect(remaining.slice(1)).toEqual(remaining.slice(0, -1).map((n) => n - 1));
    });

    it('refuses a row whose budget is not the importing key’s, and writes nothing', async () => {
      const parent = await createKey(acme.owner, {
        scopes: ['api-keys:create', 'invoices:read'],
        rate_limit: { limit: 50, window_seconds: 3600 },
      });
      const legacy = await hexKey(9702);
      const res = await importDump(t.client(acme.host, parent.key), {
        format: 'hex-bcrypt',
        rows: [legacy.row],
      });
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body)).toContain('share its budget');
      expect(
        await stored('SELECT id FROM api_keys WHERE tenant_id = ? AND legacy_id = ?', [
          acme.tenantId,
          '9702',
        ]),
      ).toEqual([]);
    });
  });
});

describe('F3: guessing cannot lock out a legacy key, and introspection counts failures', () => {
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await startApp({ TRUST_PROXY: 'true', AUTH_FAILURE_LIMIT: '20' });
    acme = await createTenant(t);
  });
  afterAll(() => t.close());

  const from = (ip: string, key: string) => ({
    headers: { 'x-forwarded-for': ip, authorization: `Bearer ${key}` },
  });

  it('lets the genuine key through after another address failed at its prefix many times', async () => {
    const key = await hexKey(9301);
    const res = await acme.owner.post('/api/v1/api-keys/import', { format: 'hex-bcrypt', rows: [key.row] });
    expect(res.body).toMatchObject({ imported: 1 });
    const prefix = key.plaintext.slice(0, 8);
    for (let i = 0; i < 12; i++) {
      const guess = prefix + randomHex(56);
      const wrong = await t.client(acme.host).get('/api/v1/invoices', from('203.0.113.7', guess));
      expect(wrong.status).toBe(401);
    }
    const genuine = await t.client(acme.host).get('/api/v1/invoices', from('198.51.100.9', key.plaintext));
    expect(genuine.status).toBe(200);
  });

  it('counts failed Bearer authentications on POST /oauth/introspect until 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await call(t.port, 'POST', '/oauth/introspect', {
        host: acme.host,
        raw: new URLSearchParams({ token: 'kg_whatever' }).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': '203.0.113.99',
          authorization: `Bearer ${randomHex(40)}`,
        },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(10).fill(429));
    // The same address is locked for the guard chain too: one counter for every authentication.
    const after = await t.client(acme.host).get('/api/v1/invoices', from('203.0.113.99', randomHex(64)));
    expect(after.status).toBe(429);
  });
});

function randomHex(n: number): string {
  return randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);
}

describe('F8: a legacy key revoked while its first use is being checked', () => {
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
  });
  afterAll(() => t.close());

  it('is refused from the next request on: the copy read before the revoke is not cached', async () => {
    // bcrypt at cost 12 takes a few hundred milliseconds here: the revoke lands while it runs.
    const key = await hexKey(9401, {}, 12);
    const res = await acme.owner.post('/api/v1/api-keys/import', { format: 'hex-bcrypt', rows: [key.row] });
    expect(res.body).toMatchObject({ imported: 1 });
    const row = await storedRow(t, acme.tenantId, 'hex-bcrypt', '9401');
    const client = t.client(acme.host, key.plaintext);
    const firstUse = client.get('/api/v1/invoices');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await acme.owner.post(`/api/v1/api-keys/${row.id}/revoke`)).status).toBe(200);
    await firstUse;
    for (let i = 0; i < 3; i++) expect((await client.get('/api/v1/invoices')).status).toBe(401);
  });
});
