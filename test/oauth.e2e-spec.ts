import { DataSource } from 'typeorm';
import { createTenant, TenantFixture } from './support/fixtures';
import { call } from './support/http';
import { createKey } from './support/keys';
import { hexKey } from './support/legacy-dumps';
import { startApp, TestApp } from './support/test-app';
import { createUser, createWorkspace } from './support/users';

/** OAuth 2.0 client credentials (product.md, "Moving in"): RFC 6749 §4.4, RFC 7662, RFC 7009. */
describe('OAuth 2.0 client credentials', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;
  let client: { id: string; client_id: string; client_secret: string };

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const post = (
    host: string,
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ) =>
    call(t.port, 'POST', path, {
      host,
      raw: form(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  beforeAll(async () => {
    t = await startApp({ OAUTH_TOKEN_TTL_SECONDS: '120' });
    acme = await createTenant(t);
    globex = await createTenant(t);
    const res = await acme.owner.post('/api/v1/oauth-clients', {
      name: 'Reporting service',
      scopes: ['invoices:read', 'invoices.create'],
    });
    expect(res.status).toBe(201);
    client = res.body;
  });
  afterAll(() => t.close());

  it('creates a client with a secret shown once, hashed at rest, listed without it', async () => {
    expect(client).toMatchObject({ name: 'Reporting service', scopes: ['invoices:read', 'invoices:create'] });
    expect(client.client_secret).toMatch(/^ocs_[0-9A-Za-z]{40}$/);
    const list = await acme.owner.get('/api/v1/oauth-clients');
    expect(list.body.data.map((c: any) => c.client_id)).toContain(client.client_id);
    expect(list.text).not.toContain(client.client_secret);
    expect((await globex.owner.get(`/api/v1/oauth-clients/${client.id}`)).status).toBe(404);
  });

  it('issues a short-lived token by Basic (form) or body (JSON), which passes the guard chain', async () => {
    const byBasic = await post(
      acme.host,
      '/oauth/token',
      { grant_type: 'client_credentials', scope: 'invoices:read' },
      {
        authorization: basic(client.client_id, client.client_secret),
      },
    );
    expect(byBasic.status).toBe(200);
    expect(byBasic.body).toMatchObject({ token_type: 'Bearer', expires_in: 120, scope: 'invoices:read' });
    const token = byBasic.body.access_token as string;
    expect((await t.client(acme.host, token).get('/api/v1/invoices')).status).toBe(200);
    const beyond = await t.client(acme.host, token).post('/api/v1/invoices', { customer: 'x', amount: 1 });
    expect(beyond.status).toBe(403);
    expect(beyond.body.required_scope).toBe('invoices:create');
    expect((await t.client(globex.host, token).get('/api/v1/invoices')).status).toBe(401);
    const byJson = await t.client(acme.host).post('/oauth/token', {
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    expect(byJson.status).toBe(200);
    expect(byJson.body.scope).toBe('invoices:read invoices:create');
    const all = t.client(acme.host, byJson.body.access_token);
    expect((await all.post('/api/v1/invoices', { customer: 'x', amount: 1 })).status).toBe(201);
  });

  it('shares one rate-limit budget per client across its tokens', async () => {
    const small = await startApp({ RATE_LIMIT_DEFAULT: '5/3600' });
    try {
      const tenant = await createTenant(small);
      const limited = await tenant.owner.post('/api/v1/oauth-clients', {
        name: 'limited',
        scopes: ['invoices:read'],
      });
      const auth = { authorization: basic(limited.body.client_id, limited.body.client_secret) };
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const issued = await call(small.port, 'POST', '/oauth/token', {
          host: tenant.host,
          raw: form({ grant_type: 'client_credentials' }),
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth },
        });
        const token = issued.body.access_token as string;
        for (let j = 0; j < 2; j++)
          statuses.push((await small.client(tenant.host, token).get('/api/v1/invoices')).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    } finally {
      await small.close();
    }
  });

  it('answers RFC 6749 errors: invalid_client (with a challenge for Basic), invalid_scope, unsupported_grant_type, invalid_request', async () => {
    const wrong = await post(
      acme.host,
      '/oauth/token',
      { grant_type: 'client_credentials' },
      {
        authorization: basic(client.client_id, 'ocs_wrong'),
      },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'invalid_client' });
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic /);
    const unknown = await post(acme.host, '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: 'oc_nobody',
      client_secret: 'x',
    });
    expect([unknown.status, unknown.body.error, unknown.headers['www-authenticate']]).toEqual([
      401,
      'invalid_client',
      undefined,
    ]);
    const otherTenant = await post(
      globex.host,
      '/oauth/token',
      { grant_type: 'client_credentials' },
      {
        authorization: basic(client.client_id, client.client_secret),
      },
    );
    expect(otherTenant.status).toBe(401);
    const auth = { authorization: basic(client.client_id, client.client_secret) };
    const beyond = await post(
      acme.host,
      '/oauth/token',
      { grant_type: 'client_credentials', scope: 'users:read' },
      auth,
    );
    expect([beyond.status, beyond.body.error]).toEqual([400, 'invalid_scope']);
    const garbage = await post(
      acme.host,
      '/oauth/token',
      { grant_type: 'client_credentials', scope: 'not a scope!' },
      auth,
    );
    expect([garbage.status, garbage.body.error]).toEqual([400, 'invalid_scope']);
    const grant = await post(acme.host, '/oauth/token', { grant_type: 'password' }, auth);
    expect([grant.status, grant.body.error]).toEqual([400, 'unsupported_grant_type']);
    const missing = await post(acme.host, '/oauth/token', {}, auth);
    expect([missing.status, missing.body.error]).toEqual([400, 'invalid_request']);
    expect(JSON.stringify([wrong.body, beyond.body])).not.toContain(client.client_secret);
  });

  it('refuses a client with scopes beyond the creator’s (the one authorization rule)', async () => {
    const member = await createUser(t, acme, { role: 'member' });
    const res = await member.client.post('/api/v1/oauth-clients', {
      name: 'too wide',
      scopes: ['users:create'],
    });
    expect(res.status).toBe(403);
  });

  it('introspects for the client itself or a keys:verify key, and revokes (RFC 7662, RFC 7009)', async () => {
    const auth = { authorization: basic(client.client_id, client.client_secret) };
    const token = (await post(acme.host, '/oauth/token', { grant_type: 'client_credentials' }, auth)).body
      .access_token;
    const own = await post(acme.host, '/oauth/introspect', { token }, auth);
    expect(own.body).toMatchObject({
      active: true,
      client_id: client.client_id,
      scope: 'invoices:read invoices:create',
    });
    expect(own.body.exp - own.body.iat).toBe(120);
    const verifier = await createKey(acme.owner, { scopes: ['keys:verify'] });
    const byKey = await post(
      acme.host,
      '/oauth/introspect',
      { token },
      { authorization: `Bearer ${verifier.key}` },
    );
    expect(byKey.body.active).toBe(true);
    const plain = await createKey(acme.owner, { scopes: ['invoices:read'] });
    const notAllowed = await post(
      acme.host,
      '/oauth/introspect',
      { token },
      { authorization: `Bearer ${plain.key}` },
    );
    expect(notAllowed.status).toBe(401);
    const other = await acme.owner.post('/api/v1/oauth-clients', {
      name: 'other',
      scopes: ['invoices:read'],
    });
    const foreign = await post(
      acme.host,
      '/oauth/introspect',
      { token },
      {
        authorization: basic(other.body.client_id, other.body.client_secret),
      },
    );
    expect(foreign.body).toEqual({ active: false });
    // Another client cannot revoke it; its own client can, and it stops at once.
    expect(
      (
        await post(
          acme.host,
          '/oauth/revoke',
          { token },
          { authorization: basic(other.body.client_id, other.body.client_secret) },
        )
      ).status,
    ).toBe(200);
    expect((await t.client(acme.host, token).get('/api/v1/invoices')).status).toBe(200);
    expect((await post(acme.host, '/oauth/revoke', { token }, auth)).status).toBe(200);
    expect((await t.client(acme.host, token).get('/api/v1/invoices')).status).toBe(401);
    expect((await post(acme.host, '/oauth/introspect', { token }, auth)).body).toEqual({ active: false });
    expect((await post(acme.host, '/oauth/revoke', { token: 'nonsense' }, auth)).status).toBe(200);
  });

  it('limits failed client authentications per address like every failed credential', async () => {
    const strict = await startApp({ AUTH_FAILURE_LIMIT: '3' });
    try {
      const tenant = await createTenant(strict);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await call(strict.port, 'POST', '/oauth/token', {
          host: tenant.host,
          body: { grant_type: 'client_credentials', client_id: 'oc_guess', client_secret: `guess-${i}` },
        });
        statuses.push(res.status);
        if (res.status === 429) expect(res.headers['retry-after']).toBeDefined();
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await strict.close();
    }
  });

  it('ends every token of a deleted client at once', async () => {
    const doomed = await acme.owner.post('/api/v1/oauth-clients', {
      name: 'doomed',
      scopes: ['invoices:read'],
    });
    const auth = { authorization: basic(doomed.body.client_id, doomed.body.client_secret) };
    const token = (await post(acme.host, '/oauth/token', { grant_type: 'client_credentials' }, auth)).body
      .access_token;
    expect((await t.client(acme.host, token).get('/api/v1/invoices')).status).toBe(200);
    expect((await acme.owner.delete(`/api/v1/oauth-clients/${doomed.body.id}`)).status).toBe(204);
    expect((await t.client(acme.host, token).get('/api/v1/invoices')).status).toBe(401);
    expect((await post(acme.host, '/oauth/token', { grant_type: 'client_credentials' }, auth)).status).toBe(
      401,
    );
  });

  it('mints nothing for a client whose workspace is suspended or deleted (found by an attack pass)', async () => {
    const ws = await createWorkspace(acme, 'Short-lived');
    const made = await acme.owner.post(
      '/api/v1/oauth-clients',
      { name: 'in a workspace that goes', scopes: ['invoices:read'] },
      { headers: { 'x-workspace-id': ws } },
    );
    expect(made.status).toBe(201);
    const auth = { authorization: basic(made.body.client_id, made.body.client_secret) };
    const mint = () => post(acme.host, '/oauth/token', { grant_type: 'client_credentials' }, auth);
    expect((await mint()).status).toBe(200);
    const token = (await mint()).body.access_token as string;
    expect((await post(acme.host, '/oauth/introspect', { token }, auth)).body.active).toBe(true);
    expect((await acme.owner.post(`/api/v1/workspaces/${ws}/suspend`)).status).toBe(200);
    const suspended = await mint();
    expect([suspended.status, suspended.body.error]).toEqual([400, 'unauthorized_client']);
    // Refused where it is used while the workspace is suspended: inactive to introspection too.
    expect((await post(acme.host, '/oauth/introspect', { token }, auth)).body).toEqual({ active: false });
    expect((await acme.owner.post(`/api/v1/workspaces/${ws}/resume`)).status).toBe(200);
    expect((await mint()).status).toBe(200);
    expect((await acme.owner.delete(`/api/v1/workspaces/${ws}`)).status).toBe(204);
    const gone = await mint();
    expect([gone.status, gone.body.error]).toEqual([401, 'invalid_client']);
    // Its tokens went with the workspace's keys, and the refused requests minted none.
    const minted = await t.app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM api_keys WHERE oauth_client_id = ?', [made.body.id]);
    expect(Number(minted[0].n)).toBe(0);
  });

  /** A client made by `makerKey` (holding oauth-clients:create and invoices:read), and a token of it. */
  async function tokenOfClientMadeBy(app: TestApp, tenant: TenantFixture, makerKey: string): Promise<string> {
    const made = await app
      .client(tenant.host, makerKey)
      .post('/api/v1/oauth-clients', { name: 'made by a key', scopes: ['invoices:read'] });
    expect(made.status).toBe(201);
    const minted = await call(app.port, 'POST', '/oauth/token', {
      host: tenant.host,
      raw: form({ grant_type: 'client_credentials' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(made.body.client_id, made.body.client_secret),
      },
    });
    expect(minted.status).toBe(200);
    return minted.body.access_token;
  }

  it("spends the creating key's budget when a key made the client (found by an attack pass)", async () => {
    const small = await startApp({ RATE_LIMIT_DEFAULT: '50/3600' });
    try {
      const tenant = await createTenant(small);
      const maker = await createKey(tenant.owner, { scopes: ['oauth-clients:create', 'invoices:read'] });
      const token = await tokenOfClientMadeBy(small, tenant, maker.key);
      // One window counts both: each answer's remaining budget is one less than the one before.
      const remaining: number[] = [];
      for (const key of [maker.key, token, maker.key, token]) {
        const answer = await small.client(tenant.host, key).get('/api/v1/invoices');
        expect(answer.status).toBe(200);
        remaining.push(Number(answer.headers['x-ratelimit-remaining']));
      }
      expect(remaining.slice(1)).toEqual(remaining.slice(0, -1).map((n) => n - 1));
    } finally {
      await small.close();
    }
  });

  it("spends a key's budget on the key's own terms, whatever its window (found by an attack pass)", async () => {
    const tenant = await createTenant(t);
    // A window other than the default's: tokens on the default terms were counted apart.
    const maker = await createKey(tenant.owner, {
      scopes: ['oauth-clients:create', 'invoices:read'],
      rate_limit: { limit: 4, window_seconds: 7200 },
    });
    const token = await tokenOfClientMadeBy(t, tenant, maker.key);
    // The key spent one on making the client: two more, then its token gets the fourth.
    const answers = [];
    for (const key of [maker.key, maker.key, token, token])
      answers.push(await t.client(tenant.host, key).get('/api/v1/invoices'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[2].headers['x-ratelimit-limit']).toBe('4');
  });

  it('takes the terms of the newest live key spending the budget, and mints nothing once none is left (found by an attack pass)', async () => {
    const tenant = await createTenant(t);
    const first = await createKey(tenant.owner, {
      scopes: ['oauth-clients:create', 'invoices:read', 'api-keys:delete'],
      rate_limit: { limit: 5, window_seconds: 60 },
    });
    const made = await t
      .client(tenant.host, first.key)
      .post('/api/v1/oauth-clients', { name: 'outlives its maker?', scopes: ['invoices:read'] });
    const mint = () =>
      call(t.port, 'POST', '/oauth/token', {
        host: tenant.host,
        raw: form({ grant_type: 'client_credentials' }),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(made.body.client_id, made.body.client_secret),
        },
      });
    // Rotated at once, the successor given an hour's window and spent: a new token spends the
    // same hour's budget, not the 60 s window the first key (revoked now) still has.
    const rotated = await tenant.owner.post(`/api/v1/api-keys/${first.id}/rotate`, {
      grace_period_seconds: 0,
    });
    expect(rotated.status).toBeLessThan(300);
    const patched = await tenant.owner.patch(`/api/v1/api-keys/${rotated.body.id}`, {
      rate_limit: { limit: 5, window_seconds: 3600 },
    });
    expect(patched.status).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await t.client(tenant.host, rotated.body.key).get('/api/v1/invoices')).status).toBe(200);
    const token = (await mint()).body.access_token;
    expect((await t.client(tenant.host, token).get('/api/v1/invoices')).status).toBe(429);
    // No live key spends the budget any more: the client mints nothing.
    expect((await tenant.owner.delete(`/api/v1/api-keys/${rotated.body.id}`)).status).toBe(204);
    const refused = await mint();
    expect([refused.status, refused.body.error]).toEqual([400, 'unauthorized_client']);
  });

  it('checks a new budget against the clients spending it, live token or not, and lets an imported key’s client mint (found by an attack pass)', async () => {
    const tenant = await createTenant(t);
    const maker = await createKey(tenant.owner, {
      scopes: ['invoices:read', 'invoices:create', 'oauth-clients:create'],
      rate_limit: { limit: 100, window_seconds: 600 },
    });
    const made = await t
      .client(tenant.host, maker.key)
      .post('/api/v1/oauth-clients', { name: 'creates invoices', scopes: ['invoices:create'] });
    expect(made.status).toBe(201);
    await tenant.owner.patch(`/api/v1/api-keys/${maker.id}`, { scopes: ['invoices:read'] });
    // A member (no invoices:create) may not loosen the budget the client's next tokens spend.
    const member = await createUser(t, tenant, { role: 'member' });
    const loosened = await member.client.patch(`/api/v1/api-keys/${maker.id}`, {
      rate_limit: { limit: 200, window_seconds: 600 },
    });
    expect([loosened.status, loosened.body.required_scope]).toEqual([403, 'invoices:create']);

    const imported = await hexKey(77, {
      permissions: JSON.stringify(['invoices.read', 'oauth-clients.create']),
    });
    const done = await tenant.owner.post('/api/v1/api-keys/import', {
      format: 'hex-bcrypt',
      rows: [imported.row],
    });
    expect(done.body).toMatchObject({ imported: 1 });
    // Its client mints: an imported key spends the budget as much as a native one.
    expect(await tokenOfClientMadeBy(t, tenant, imported.plaintext)).toMatch(/^sk_live_/);
  });

  it('refuses PATCH and rotate of an access token (it would outlive its client), but revokes it', async () => {
    const fixed = await acme.owner.post('/api/v1/oauth-clients', {
      name: 'fixed',
      scopes: ['invoices:read'],
    });
    const auth = { authorization: basic(fixed.body.client_id, fixed.body.client_secret) };
    const token = (await post(acme.host, '/oauth/token', { grant_type: 'client_credentials' }, auth)).body
      .access_token;
    const rows = await t.app
      .get(DataSource)
      .query('SELECT id FROM api_keys WHERE oauth_client_id = ?', [fixed.body.id]);
    expect(rows).toHaveLength(1);
    const id = rows[0].id as string;
    const patch = await acme.owner.patch(`/api/v1/api-keys/${id}`, { expires_at: null });
    expect([patch.status, patch.body.code]).toEqual([409, 'API_KEY_OAUTH_TOKEN_FIXED']);
    const rotate = await acme.owner.post(`/api/v1/api-keys/${id}/rotate`, {});
    expect([rotate.status, rotate.body.code]).toEqual([409, 'API_KEY_OAUTH_TOKEN_FIXED']);
    expect((await t.client(acme.host, token).get('/api/v1/invoices')).status).toBe(200);
    expect((await acme.owner.post(`/api/v1/api-keys/${id}/revoke`, {})).status).toBeLessThan(300);
    expect((await t.client(acme.host, token).get('/api/v1/invoices')).status).toBe(401);
  });
});
