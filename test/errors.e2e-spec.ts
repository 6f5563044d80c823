import { DataSource } from 'typeorm';
import { createTenant, TenantFixture } from './support/fixtures';
import { startApp, TestApp } from './support/test-app';

describe('error bodies (product.md "Errors")', () => {
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await startApp({ BODY_LIMIT_BYTES: '2048', AUTH_FAILURE_LIMIT: '5' });
    acme = await createTenant(t);
  });
  afterAll(() => t.close());

  it('401 without a credential', async () => {
    const res = await t.client(acme.host).get('/api/v1/auth/me');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthenticated.' });
  });

  it('404 for an unknown route', async () => {
    const res = await acme.owner.get('/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: 'Not Found.' });
  });

  it('400 for malformed JSON', async () => {
    const res = await acme.owner.send('POST', '/api/v1/invoices', { raw: '{"customer": ' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Malformed JSON.' });
  });

  it('413 for an oversized body', async () => {
    const res = await acme.owner.post('/api/v1/invoices', { customer: 'x'.repeat(5000), amount: 1 });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ message: 'Payload Too Large.' });
  });

  it('422 with errors per field for invalid input, and unknown fields refused', async () => {
    const res = await acme.owner.post('/api/v1/invoices', { customer: '', amount: -1, extra: true });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('The given data was invalid.');
    expect(Object.keys(res.body.errors).sort()).toEqual(['amount', 'customer', 'extra']);
    expect(res.body.errors.amount[0]).toMatch(/amount/);
  });

  it('takes an empty body sent as JSON as no body (many clients send the type on every request)', async () => {
    const key = await acme.owner.post('/api/v1/api-keys', { name: 'to revoke', scopes: ['invoices:read'] });
    const revoked = await acme.owner.send('POST', `/api/v1/api-keys/${key.body.id}/revoke`, {
      raw: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(revoked.status).toBe(200);
    const empty = await acme.owner.send('POST', '/api/v1/invoices', {
      raw: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(422);
  });

  it('415 for JSON said to be in another charset than UTF-8; a PATCH that changes nothing writes nothing', async () => {
    const utf16 = await acme.owner.send('POST', '/api/v1/invoices', {
      raw: '{"customer":"x","amount":1}',
      headers: { 'content-type': 'application/json; charset=UTF-16' },
    });
    expect([utf16.status, utf16.body]).toEqual([415, { message: 'Unsupported Media Type.' }]);
    const utf8 = await acme.owner.send('POST', '/api/v1/invoices', {
      raw: '{"customer":"x","amount":1}',
      headers: { 'content-type': 'application/json; charset="utf-8"' },
    });
    expect(utf8.status).toBe(201);
    const key = await acme.owner.post('/api/v1/api-keys', { name: 'unchanged', scopes: ['invoices:read'] });
    const patched = await acme.owner.send('PATCH', `/api/v1/api-keys/${key.body.id}`, {
      raw: 'null',
      headers: { 'content-type': 'application/json' },
    });
    expect(patched.status).toBe(200);
    const audit = await t.app
      .get(DataSource)
      .query("SELECT id FROM audit_logs WHERE target_id = ? AND action = 'api_key.updated'", [key.body.id]);
    expect(audit).toEqual([]);
  });

  it('415 for a body that is neither JSON nor a form', async () => {
    const res = await acme.owner.send('POST', '/api/v1/invoices', {
      raw: '{"customer":"x","amount":1}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ message: 'Unsupported Media Type.' });
  });

  it('says what is wrong with a value before how big it is (found by an attack pass)', async () => {
    const page = await acme.owner.get('/api/v1/api-keys?limit=abc');
    expect(page.status).toBe(422);
    expect(page.body.errors).toEqual({ limit: ['limit must be an integer number'] });
    const login = await t.client(acme.host).post('/api/v1/auth/session', {});
    expect(login.status).toBe(422);
    expect(login.body.errors.email).toEqual(['email must be a string']);
  });

  it('X-Request-Id on every response, keeping a sane incoming one', async () => {
    const generated = await t.client(acme.host).get('/api/v1/auth/me');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f]{24}$/);
    const next = await t.client(acme.host).get('/api/v1/auth/me');
    expect(next.headers['x-request-id']).not.toBe(generated.headers['x-request-id']);
    // Ours are kept when a client sends one back (a retry, a trace).
    const echoed = await acme.owner.get('/api/v1/auth/me', {
      headers: { 'x-request-id': generated.headers['x-request-id'] as string },
    });
    expect(echoed.headers['x-request-id']).toBe(generated.headers['x-request-id']);
    const kept = await acme.owner.get('/api/v1/auth/me', { headers: { 'x-request-id': 'trace-123' } });
    expect(kept.headers['x-request-id']).toBe('trace-123');
    const replaced = await acme.owner.get('/api/v1/auth/me', {
      headers: { 'x-request-id': 'bad id\twith tab' },
    });
    expect(replaced.headers['x-request-id']).not.toContain('bad');
    // A UUID is kept; a 32-character token (a Voltis token's shape) is not echoed (attack pass).
    const uuid = '6812fc29-85dd-47b3-8837-bc5b4857f49d';
    expect(
      (await acme.owner.get('/api/v1/auth/me', { headers: { 'x-request-id': uuid } })).headers[
        'x-request-id'
      ],
    ).toBe(uuid);
    const token = '0123456789abcdef0123456789abcdef';
    expect(
      (await acme.owner.get('/api/v1/auth/me', { headers: { 'x-request-id': token } })).headers[
        'x-request-id'
      ],
    ).not.toBe(token);
    expect((await t.client('nobody.localhost').get('/nope')).headers['x-request-id']).toBeDefined();
  });

  it('never sends a stack trace', async () => {
    for (const res of [
      await acme.owner.send('POST', '/api/v1/invoices', { raw: '{' }),
      await acme.owner.post('/api/v1/invoices', { customer: 5 }),
    ]) {
      expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
      expect(res.text).not.toMatch(/stack/i);
    }
  });

  it('429 with Retry-After once an address keeps failing authentication', async () => {
    const fresh = await startApp({ AUTH_FAILURE_LIMIT: '3' });
    try {
      const tenant = await createTenant(fresh);
      const bad = fresh.client(tenant.host, 'sk_live_nope');
      for (let i = 0; i < 3; i++) expect((await bad.get('/api/v1/auth/me')).status).toBe(401);
      const limited = await bad.get('/api/v1/auth/me');
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ message: 'Too Many Attempts.' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Even a valid credential from that address waits: the check comes before any look-up.
      expect((await tenant.owner.get('/api/v1/auth/me')).status).toBe(429);
    } finally {
      await fresh.close();
    }
  });
});
