import { createTenant, TenantFixture } from './support/fixtures';
import { startApp, TestApp } from './support/test-app';
import { createUser, issueWorkspaceKey, UserFixture } from './support/users';

/** Each login comes from its own address (TRUST_PROXY is on) unless a test means to share one. */
let ipCounter = 0;
const freshIp = () => `10.1.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

describe('login (POST /api/v1/auth/login)', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;
  let alice: UserFixture;

  const login = (host: string, body: Record<string, unknown>, ip = freshIp()) =>
    t.client(host).post('/api/v1/auth/login', body, { headers: { 'x-forwarded-for': ip } });

  beforeAll(async () => {
    t = await startApp({ TRUST_PROXY: 'true' });
    acme = await createTenant(t);
    globex = await createTenant(t);
    alice = await createUser(t, acme, { role: 'member', email: 'alice@example.test', name: 'Alice' });
  });
  afterAll(() => t.close());

  it('issues a user token for the right email and password', async () => {
    const res = await login(acme.host, { email: alice.email, password: alice.password });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      token_type: 'Bearer',
      abilities: ['*'],
      user: { id: alice.id, email: alice.email },
    });
    expect(res.body.token).toMatch(/^ut_/);
    expect(res.text).not.toMatch(/password/i);
    const me = await t.client(acme.host, res.body.token).get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      credential_type: 'user_token',
      user_id: alice.id,
      workspace: { id: acme.workspaceId },
    });
  });

  it('ignores the case of the email', async () => {
    const res = await login(acme.host, { email: 'ALICE@Example.TEST', password: alice.password });
    expect(res.status).toBe(201);
  });

  it('gives the same 401 for a wrong password and an unknown email', async () => {
    const wrong = await login(acme.host, { email: alice.email, password: 'not-the-password' });
    const unknown = await login(acme.host, { email: 'nobody@example.test', password: alice.password });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ message: 'Unauthenticated.' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(t.logger.text()).not.toContain('not-the-password');
  });

  it("refuses another tenant's user on this tenant's host", async () => {
    const bob = await createUser(t, globex, { role: 'member' });
    expect((await login(acme.host, { email: bob.email, password: bob.password })).status).toBe(401);
    expect((await login(globex.host, { email: bob.email, password: bob.password })).status).toBe(201);
  });

  it('refuses a deactivated user, and accepts them again once reactivated', async () => {
    const carol = await createUser(t, acme, { role: 'viewer' });
    expect((await acme.owner.post(`/api/v1/users/${carol.id}/deactivate`)).status).toBe(200);
    const refused = await login(acme.host, { email: carol.email, password: carol.password });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ message: 'Unauthenticated.' });
    expect((await acme.owner.post(`/api/v1/users/${carol.id}/reactivate`)).status).toBe(200);
    expect((await login(acme.host, { email: carol.email, password: carol.password })).status).toBe(201);
  });

  it('refuses a password longer than 72 bytes instead of letting bcrypt cut it', async () => {
    const exact = 'p'.repeat(72);
    const dave = await createUser(t, acme, { password: exact });
    expect((await login(acme.host, { email: dave.email, password: exact })).status).toBe(201);
    expect((await login(acme.host, { email: dave.email, password: exact + 'extra' })).status).toBe(401);
  });

  it('throttles an email after 10 attempts a minute, from any address, with Retry-After', async () => {
    const erin = await createUser(t, acme);
    for (let i = 0; i < 10; i++) {
      expect((await login(acme.host, { email: erin.email, password: `wrong-${i}-password` })).status).toBe(
        401,
      );
    }
    const limited = await login(acme.host, { email: erin.email, password: erin.password });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ message: 'Too Many Attempts.' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Other accounts are not affected.
    expect((await login(acme.host, { email: alice.email, password: alice.password })).status).toBe(201);
  });

  it('throttles an address after 30 attempts a minute, whatever the email', async () => {
    const ip = '10.9.9.9';
    for (let i = 0; i < 30; i++) {
      expect(
        (await login(acme.host, { email: `spray-${i}@example.test`, password: 'guess-password' }, ip)).status,
      ).toBe(401);
    }
    const limited = await login(acme.host, { email: alice.email, password: alice.password }, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(acme.host, { email: alice.email, password: alice.password })).status).toBe(201);
  });

  it("clears an email's count on a successful login", async () => {
    const fred = await createUser(t, acme);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++) await login(acme.host, { email: fred.email, password: 'wrong-password' });
      expect((await login(acme.host, { email: fred.email, password: fred.password })).status).toBe(201);
    }
  });

  it('validates the body (422) and needs a tenant host (404)', async () => {
    const invalid = await login(acme.host, { email: alice.email });
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.body.errors)).toEqual(['password']);
    expect((await login('localhost', { email: alice.email, password: alice.password })).status).toBe(404);
  });
});

describe('user tokens (/api/v1/users/me/tokens, /auth/logout)', () => {
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
  });
  afterAll(() => t.close());

  const createToken = async (client: TenantFixture['owner'], body: Record<string, unknown>) => {
    const res = await client.post('/api/v1/users/me/tokens', body);
    if (res.status !== 201) throw new Error(`creating a token answered ${res.status}: ${res.text}`);
    return res.body;
  };

  it('creates a token with the abilities asked for, shown once, and the abilities limit it', async () => {
    const created = await createToken(acme.owner, { name: 'reader', abilities: ['invoices.read'] });
    expect(created).toMatchObject({ name: 'reader', abilities: ['invoices:read'], expires_at: null });
    expect(created.prefix).toBe(created.token.slice(0, created.prefix.length));
    const reader = acme.owner.as(created.token);
    expect((await reader.get('/api/v1/invoices')).status).toBe(200);
    const refused = await reader.post('/api/v1/invoices', { customer: 'x', amount: 1 });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      message: 'This action is unauthorized.',
      required_scope: 'invoices:create',
      provided_scopes: ['invoices:read'],
    });
  });

  it("defaults to '*', capped by the user's permissions (a viewer's '*' token cannot POST)", async () => {
    const viewer = await createUser(t, acme, { role: 'viewer' });
    const created = await createToken(viewer.client, { name: 'all' });
    expect(created.abilities).toEqual(['*']);
    const token = acme.owner.as(created.token);
    expect((await token.get('/api/v1/invoices')).status).toBe(200);
    const refused = await token.post('/api/v1/invoices', { customer: 'x', amount: 1 });
    expect(refused.status).toBe(403);
    expect(refused.body.provided_scopes).toEqual(['*:read']);
  });

  it('refuses abilities the creating token lacks (403) and unknown or malformed ones (422)', async () => {
    const narrow = acme.owner.as(
      (await createToken(acme.owner, { name: 'narrow', abilities: ['invoices:read'] })).token,
    );
    expect(
      (await narrow.post('/api/v1/users/me/tokens', { name: 'x', abilities: ['invoices:create'] })).status,
    ).toBe(403);
    expect((await narrow.post('/api/v1/users/me/tokens', { name: 'x' })).status).toBe(403);
    expect(
      (await narrow.post('/api/v1/users/me/tokens', { name: 'x', abilities: ['invoices:read'] })).status,
    ).toBe(201);
    const unknown = await acme.owner.post('/api/v1/users/me/tokens', {
      name: 'x',
      abilities: ['spaceships:fly'],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.abilities[0]).toContain('spaceships:fly');
    const malformed = await acme.owner.post('/api/v1/users/me/tokens', { name: 'x', abilities: ['a:b:c'] });
    expect(malformed.status).toBe(422);
    expect(Object.keys(malformed.body.errors)).toEqual(['abilities']);
  });

  it('accepts a future expires_at and refuses a past one', async () => {
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await createToken(acme.owner, { name: 'soon', expires_at: future })).expires_at).toBe(future);
    const past = await acme.owner.post('/api/v1/users/me/tokens', {
      name: 'old',
      expires_at: '2000-01-01T00:00:00Z',
    });
    expect(past.status).toBe(422);
    expect(Object.keys(past.body.errors)).toEqual(['expires_at']);
  });

  it("lists the caller's own tokens with their prefix, never a secret or a hash", async () => {
    const user = await createUser(t, acme, { role: 'member' });
    const other = await createUser(t, acme, { role: 'member' });
    const created = await createToken(user.client, { name: 'listed' });
    await createToken(other.client, { name: 'not-mine' });
    const res = await user.client.get('/api/v1/users/me/tokens');
    expect(res.status).toBe(200);
    const names = res.body.data.map((k: any) => k.name);
    expect(names).toEqual(['test', 'listed']);
    expect(res.body.data[0].current).toBe(true);
    expect(res.body.data[1]).toMatchObject({ id: created.id, prefix: created.prefix, abilities: ['*'] });
    expect(res.text).not.toContain(created.token);
    expect(res.text).not.toContain(created.token.slice(created.prefix.length));
    expect(res.text).not.toMatch(/hash|secret|"token"/i);
  });

  it("revokes one token at once (others keep working); another user's token id is 404", async () => {
    const user = await createUser(t, acme, { role: 'member' });
    const other = await createUser(t, acme, { role: 'member' });
    const doomed = await createToken(user.client, { name: 'doomed' });
    const doomedClient = acme.owner.as(doomed.token);
    expect((await doomedClient.get('/api/v1/auth/me')).status).toBe(200); // now cached
    expect((await other.client.delete(`/api/v1/users/me/tokens/${doomed.id}`)).status).toBe(404);
    expect((await doomedClient.get('/api/v1/auth/me')).status).toBe(200);
    expect((await user.client.delete(`/api/v1/users/me/tokens/${doomed.id}`)).status).toBe(204);
    expect((await doomedClient.get('/api/v1/auth/me')).status).toBe(401);
    expect((await user.client.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('revokes every token of the user, the current one included', async () => {
    const user = await createUser(t, acme, { role: 'member' });
    const second = acme.owner.as((await createToken(user.client, { name: 'second' })).token);
    const bystander = await createUser(t, acme, { role: 'member' });
    expect((await second.get('/api/v1/auth/me')).status).toBe(200);
    expect((await user.client.delete('/api/v1/users/me/tokens')).status).toBe(204);
    expect((await second.get('/api/v1/auth/me')).status).toBe(401);
    expect((await user.client.get('/api/v1/auth/me')).status).toBe(401);
    expect((await bystander.client.get('/api/v1/auth/me')).status).toBe(200);
  });

  it("logs out: the current token stops working, the user's other tokens do not", async () => {
    const user = await createUser(t, acme, { role: 'member' });
    const other = acme.owner.as((await createToken(user.client, { name: 'other' })).token);
    expect((await user.client.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await user.client.get('/api/v1/auth/me')).status).toBe(401);
    expect((await other.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('refuses a workspace key on the user-token routes (403)', async () => {
    const key = acme.owner.as(await issueWorkspaceKey(t, acme, acme.workspaceId, ['*']));
    expect((await key.get('/api/v1/auth/me')).status).toBe(200);
    expect((await key.get('/api/v1/users/me/tokens')).status).toBe(403);
    expect((await key.post('/api/v1/users/me/tokens', { name: 'x' })).status).toBe(403);
    expect((await key.delete('/api/v1/users/me/tokens')).status).toBe(403);
    expect((await key.post('/api/v1/auth/logout')).status).toBe(403);
    expect((await key.get('/api/v1/auth/me')).status).toBe(200);
  });

  it("answers 401 on the next request once the token's user is deactivated", async () => {
    const user = await createUser(t, acme, { role: 'member' });
    expect((await user.client.get('/api/v1/invoices')).status).toBe(200);
    expect((await acme.owner.post(`/api/v1/users/${user.id}/deactivate`)).status).toBe(200);
    const res = await user.client.get('/api/v1/invoices');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthenticated.' });
    expect((await acme.owner.post(`/api/v1/users/${user.id}/reactivate`)).status).toBe(200);
    expect((await user.client.get('/api/v1/invoices')).status).toBe(200);
  });
});
