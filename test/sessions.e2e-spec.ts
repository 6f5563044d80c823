import Database from 'better-sqlite3';
import { createTenant, TenantFixture } from './support/fixtures';
import { Reply } from './support/http';
import { startApp, TestApp } from './support/test-app';
import { auditActions, createUser, UserFixture } from './support/users';

let ipCounter = 0;
const freshIp = () => `10.7.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

interface SignedIn {
  cookie: string;
  csrf: string;
  sessionId: string;
  reply: Reply;
}

describe('dashboard sessions (cookie credential, CSRF)', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;
  let alice: UserFixture;

  const signIn = async (host: string, email: string, password: string, ip = freshIp()): Promise<SignedIn> => {
    const reply = await t
      .client(host)
      .post(
        '/api/v1/auth/session',
        { email, password },
        { headers: { 'x-forwarded-for': ip, 'user-agent': 'Jest/1' } },
      );
    const setCookie = [reply.headers['set-cookie'] ?? []].flat()[0] ?? '';
    return {
      cookie: setCookie.split(';')[0],
      csrf: reply.body?.csrf_token,
      sessionId: reply.body?.session_id,
      reply,
    };
  };
  const withCookie = (s: SignedIn, extra: Record<string, string> = {}) => ({
    headers: { cookie: s.cookie, ...extra },
  });

  beforeAll(async () => {
    t = await startApp({ TRUST_PROXY: 'true' });
    acme = await createTenant(t);
    globex = await createTenant(t);
    alice = await createUser(t, acme, { role: 'member', email: 'alice@example.test', name: 'Alice' });
  });
  afterAll(() => t.close());

  it('signs in with email and password and sets an HttpOnly, SameSite=Lax cookie (no Secure outside production)', async () => {
    const s = await signIn(acme.host, alice.email, alice.password);
    expect(s.reply.status).toBe(201);
    const setCookie = String([s.reply.headers['set-cookie']].flat()[0]);
    expect(setCookie).toMatch(/^keygate_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain(`Max-Age=${12 * 3600}`);
    expect(setCookie).not.toContain('Secure');
    expect(s.reply.headers['cache-control']).toBe('no-store');
    expect(s.reply.body).toMatchObject({ user: { id: alice.id, email: alice.email } });
    expect(s.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await t.client(acme.host).get('/api/v1/auth/me', withCookie(s));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      credential_type: 'session',
      user_id: alice.id,
      workspace: { id: acme.workspaceId },
    });
    // A member holds api-keys:* and *:read: exactly the user's permissions, as a `*` token would.
    expect(me.body.scopes).toEqual(expect.arrayContaining(['api-keys:*', '*:read']));
  });

  it('refuses a wrong password with the login 401 and sets no cookie', async () => {
    const s = await signIn(acme.host, alice.email, 'wrong-password');
    expect(s.reply.status).toBe(401);
    expect(s.reply.body).toEqual({ message: 'Unauthenticated.' });
    expect(s.reply.headers['set-cookie']).toBeUndefined();
  });

  it('shares the login throttle of POST /auth/login (per email)', async () => {
    const victim = await createUser(t, acme, { role: 'viewer' });
    for (let i = 0; i < 10; i++) {
      const r = await t
        .client(acme.host)
        .post(
          '/api/v1/auth/login',
          { email: victim.email, password: 'nope' },
          { headers: { 'x-forwarded-for': freshIp() } },
        );
      expect(r.status).toBe(401);
    }
    const s = await signIn(acme.host, victim.email, victim.password);
    expect(s.reply.status).toBe(429);
    expect(s.reply.headers['retry-after']).toBeDefined();
  });

  it('answers 422 with field errors for a malformed sign-in body', async () => {
    const r = await t
      .client(acme.host)
      .post('/api/v1/auth/session', { email: 5 }, { headers: { 'x-forwarded-for': freshIp() } });
    expect(r.status).toBe(422);
    expect(Object.keys(r.body.errors)).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('needs the CSRF token for state-changing requests: 419 without or with a wrong one', async () => {
    const s = await signIn(acme.host, alice.email, alice.password);
    const body = { name: 'from the browser', abilities: ['invoices:read'] };
    const none = await t.client(acme.host).post('/api/v1/users/me/tokens', body, withCookie(s));
    expect(none.status).toBe(419);
    expect(none.body).toEqual({ message: 'CSRF token mismatch.' });
    const wrong = await t
      .client(acme.host)
      .post('/api/v1/users/me/tokens', body, withCookie(s, { 'x-csrf-token': 'A'.repeat(43) }));
    expect(wrong.status).toBe(419);
    const listed = await t.client(acme.host).get('/api/v1/users/me/tokens', withCookie(s));
    expect(listed.body.data.map((k: { name: string }) => k.name)).not.toContain('from the browser');
    const right = await t
      .client(acme.host)
      .post('/api/v1/users/me/tokens', body, withCookie(s, { 'x-csrf-token': s.csrf }));
    expect(right.status).toBe(201);
    expect(right.body.token).toMatch(/^ut_/);
  });

  it('accepts the CSRF token as a _csrf form field', async () => {
    const s = await signIn(acme.host, alice.email, alice.password);
    const form = `name=form-token&_csrf=${encodeURIComponent(s.csrf)}`;
    const r = await t.client(acme.host).send('POST', '/api/v1/users/me/tokens', {
      raw: form,
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.status).toBe(201);
    expect(r.body.name).toBe('form-token');
  });

  it('asks no CSRF token of bearer credentials', async () => {
    const r = await alice.client.post('/api/v1/users/me/tokens', { name: 'bearer-made' });
    expect(r.status).toBe(201);
  });

  it('gives the page its CSRF token at GET /api/v1/auth/session, and 403 to a token', async () => {
    const s = await signIn(acme.host, alice.email, alice.password);
    const r = await t.client(acme.host).get('/api/v1/auth/session', withCookie(s));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: s.sessionId, user_id: alice.id, csrf_token: s.csrf });
    const byToken = await alice.client.get('/api/v1/auth/session');
    expect(byToken.status).toBe(403);
  });

  it('does not work on another tenant host: the same 401 as no credential', async () => {
    const s = await signIn(acme.host, alice.email, alice.password);
    const r = await t.client(globex.host).get('/api/v1/auth/me', withCookie(s));
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ message: 'Unauthenticated.' });
  });

  it('gives 401 for a forged or malformed cookie', async () => {
    for (const cookie of ['keygate_session=' + 'x'.repeat(43), 'keygate_session=short', 'other=1']) {
      const r = await t.client(acme.host).get('/api/v1/auth/me', { headers: { cookie } });
      expect(r.status).toBe(401);
    }
  });

  it('lets a bearer token win over a cookie (the cookie is looked at only without a credential)', async () => {
    const s = await signIn(acme.host, alice.email, alice.password);
    const r = await t.client(acme.host, acme.token).get('/api/v1/auth/me', withCookie(s));
    expect(r.status).toBe(200);
    expect(r.body.credential_type).toBe('user_token');
    expect(r.body.user_id).toBe(acme.ownerId);
  });

  it('lists the own sessions (current marked), revokes one, and the revoked cookie stops at once', async () => {
    const a = await signIn(acme.host, alice.email, alice.password);
    const b = await signIn(acme.host, alice.email, alice.password);
    const list = await t.client(acme.host).get('/api/v1/auth/sessions', withCookie(a));
    expect(list.status).toBe(200);
    const ids = list.body.data.map((x: { id: string }) => x.id);
    expect(ids).toEqual(expect.arrayContaining([a.sessionId, b.sessionId]));
    const mine = list.body.data.find((x: { id: string }) => x.id === a.sessionId);
    expect(mine).toMatchObject({ current: true, user_agent: 'Jest/1' });
    expect(list.text).not.toMatch(/hash/);
    const revoked = await t
      .client(acme.host)
      .delete(`/api/v1/auth/sessions/${b.sessionId}`, withCookie(a, { 'x-csrf-token': a.csrf }));
    expect(revoked.status).toBe(204);
    expect((await t.client(acme.host).get('/api/v1/auth/me', withCookie(b))).status).toBe(401);
    expect((await t.client(acme.host).get('/api/v1/auth/me', withCookie(a))).status).toBe(200);
    // Ending it again answers the same and records nothing more.
    const again = await t
      .client(acme.host)
      .delete(`/api/v1/auth/sessions/${b.sessionId}`, withCookie(a, { 'x-csrf-token': a.csrf }));
    expect(again.status).toBe(204);
    expect(await auditActions(t, acme, b.sessionId)).toEqual(['session.revoked']);
  });

  it("cannot revoke another user's session (404, unchanged)", async () => {
    const a = await signIn(acme.host, alice.email, alice.password);
    const owner = await signIn(acme.host, `owner@${acme.slug}.test`, 'owner-password-1');
    const r = await t
      .client(acme.host)
      .delete(`/api/v1/auth/sessions/${a.sessionId}`, withCookie(owner, { 'x-csrf-token': owner.csrf }));
    expect(r.status).toBe(404);
    expect((await t.client(acme.host).get('/api/v1/auth/me', withCookie(a))).status).toBe(200);
  });

  it('a token, whatever its abilities, neither lists nor ends the dashboard sessions (found by an attack pass)', async () => {
    const a = await signIn(acme.host, alice.email, alice.password);
    const token = t.client(acme.host, alice.token);
    expect([
      (await token.get('/api/v1/auth/sessions')).status,
      (await token.get('/api/v1/auth/sessions')).body.reason,
    ]).toEqual([403, 'not_a_session']);
    expect((await token.delete(`/api/v1/auth/sessions/${a.sessionId}`)).status).toBe(403);
    expect((await t.client(acme.host).get('/api/v1/auth/me', withCookie(a))).status).toBe(200);
  });

  it('logs out: the session ends, the cookie is cleared', async () => {
    const s = await signIn(acme.host, alice.email, alice.password);
    const out = await t
      .client(acme.host)
      .post('/api/v1/auth/logout', {}, withCookie(s, { 'x-csrf-token': s.csrf }));
    expect(out.status).toBe(204);
    expect(String([out.headers['set-cookie']].flat()[0])).toMatch(/^keygate_session=; .*Max-Age=0/);
    expect((await t.client(acme.host).get('/api/v1/auth/me', withCookie(s))).status).toBe(401);
  });

  it('stores only a hash of the cookie', async () => {
    const s = await signIn(acme.host, alice.email, alice.password);
    const secret = s.cookie.split('=')[1];
    if (!t.sqliteFile) return; // the MariaDB run checks the same code path; the file check is SQLite's
    const db = new Database(t.sqliteFile, { readonly: true });
    const rows = db.prepare('SELECT * FROM sessions').all();
    db.close();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).not.toContain(s.csrf);
  });
  describe('found by an attack pass', () => {
    it('refuses a sign-in a cross-site page could send (login CSRF): forms, other origins, other tenants', async () => {
      const form = await t.client(acme.host).send('POST', '/api/v1/auth/session', {
        raw: `email=${encodeURIComponent(alice.email)}&password=${encodeURIComponent(alice.password)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': freshIp() },
      });
      expect([form.status, form.body.reason, form.headers['set-cookie']]).toEqual([
        403,
        'cross_site_sign_in',
        undefined,
      ]);
      const foreign: Array<Record<string, string>> = [
        { origin: 'https://evil.example' },
        { origin: `http://${globex.host}` },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
      ];
      for (const headers of foreign) {
        const res = await t
          .client(acme.host)
          .post(
            '/api/v1/auth/session',
            { email: alice.email, password: alice.password },
            { headers: { ...headers, 'x-forwarded-for': freshIp() } },
          );
        expect([res.status, res.headers['set-cookie']]).toEqual([403, undefined]);
      }
      const own = await t.client(acme.host).post(
        '/api/v1/auth/session',
        { email: alice.email, password: alice.password },
        {
          headers: {
            origin: `http://${acme.host}:3000`,
            'sec-fetch-site': 'same-origin',
            'x-forwarded-for': freshIp(),
          },
        },
      );
      expect(own.status).toBe(201);
    });

    it('a new password and a deactivation end the user’s sessions; reactivating does not revive them', async () => {
      const bob = await createUser(t, acme, {
        role: 'member',
        email: 'bob-sessions@example.test',
        name: 'Bob',
      });
      const first = await signIn(acme.host, bob.email, bob.password);
      expect((await t.client(acme.host).get('/api/v1/auth/me', withCookie(first))).status).toBe(200);
      expect(
        (await acme.owner.patch(`/api/v1/users/${bob.id}`, { password: 'a-brand-new-password-1' })).status,
      ).toBe(200);
      expect((await t.client(acme.host).get('/api/v1/auth/me', withCookie(first))).status).toBe(401);

      const second = await signIn(acme.host, bob.email, 'a-brand-new-password-1');
      expect((await t.client(acme.host).get('/api/v1/auth/me', withCookie(second))).status).toBe(200);
      expect((await acme.owner.post(`/api/v1/users/${bob.id}/deactivate`, {})).status).toBeLessThan(300);
      expect((await acme.owner.post(`/api/v1/users/${bob.id}/reactivate`, {})).status).toBeLessThan(300);
      expect((await t.client(acme.host).get('/api/v1/auth/me', withCookie(second))).status).toBe(401);
    });

    it('a gateway check does not take the dashboard cookie as a credential', async () => {
      const s = await signIn(acme.host, alice.email, alice.password);
      const res = await t
        .client(acme.host)
        .get(
          '/api/v1/auth/check',
          withCookie(s, { 'x-original-method': 'DELETE', 'x-original-uri': '/api/v1/invoices/1' }),
        );
      expect(res.status).toBe(401);
    });
  });
});

describe('session lifetimes', () => {
  it('ends a session after SESSION_IDLE_MINUTES without a request', async () => {
    const t = await startApp({ SESSION_IDLE_MINUTES: '1' });
    try {
      const acme = await createTenant(t);
      const r = await t
        .client(acme.host)
        .post('/api/v1/auth/session', { email: `owner@${acme.slug}.test`, password: 'owner-password-1' });
      const cookie = String([r.headers['set-cookie']].flat()[0]).split(';')[0];
      expect((await t.client(acme.host).get('/api/v1/auth/me', { headers: { cookie } })).status).toBe(200);
      const realNow = Date.now;
      Date.now = () => realNow() + 61_000;
      try {
        expect((await t.client(acme.host).get('/api/v1/auth/me', { headers: { cookie } })).status).toBe(401);
      } finally {
        Date.now = realNow;
      }
    } finally {
      await t.close();
    }
  });

  it('sets Secure on the cookie when NODE_ENV=production', async () => {
    const t = await startApp({ NODE_ENV: 'production' });
    try {
      const acme = await createTenant(t);
      const r = await t
        .client(acme.host)
        .post('/api/v1/auth/session', { email: `owner@${acme.slug}.test`, password: 'owner-password-1' });
      expect(r.status).toBe(201);
      expect(String([r.headers['set-cookie']].flat()[0])).toMatch(/; Secure$/);
    } finally {
      await t.close();
    }
  });
});
