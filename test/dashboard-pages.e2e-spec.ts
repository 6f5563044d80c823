import { RequestContext } from '../src/core/context/request-context';
import { TenantProvisioner } from '../src/tenants/tenant-provisioner';
import { createTenant, TenantFixture, uniqueSlug } from './support/fixtures';
import { startApp, TestApp } from './support/test-app';
import { createUser } from './support/users';

/** The dashboard's pages and assets as HTTP sees them (the browser specs drive them). */
describe('dashboard pages (HTTP)', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;
  let cookie: string;

  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
    globex = await createTenant(t);
    const r = await t
      .client(acme.host)
      .post('/api/v1/auth/session', { email: `owner@${acme.slug}.test`, password: 'owner-password-1' });
    cookie = String([r.headers['set-cookie']].flat()[0]).split(';')[0];
  });
  afterAll(() => t.close());

  it('sends / to /login without a session and to /settings/api-tokens with one', async () => {
    const anonymous = await t.client(acme.host).get('/');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toBe('/login');
    const signedIn = await t.client(acme.host).get('/', { headers: { cookie } });
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.location).toBe('/settings/api-tokens');
  });

  it.each(['/settings/api-tokens', '/settings/api-keys', '/settings/audit'])(
    'redirects %s to /login without a session, and with another tenant’s session',
    async (path) => {
      expect((await t.client(acme.host).get(path)).headers.location).toBe('/login');
      const foreign = await t.client(globex.host).get(path, { headers: { cookie } });
      expect(foreign.status).toBe(302);
      expect(foreign.headers.location).toBe('/login');
      const own = await t.client(acme.host).get(path, { headers: { cookie } });
      expect(own.status).toBe(200);
      expect(own.headers['content-type']).toMatch(/^text\/html/);
      expect(own.text).toContain('>Log out</button>');
    },
  );

  it('serves the sign-in page with the contract’s labels, a strict CSP, no inline script or style, no-store', async () => {
    const r = await t.client(acme.host).get('/login');
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toMatch(/^default-src 'self'/);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.text).toContain('<label for="email">Email</label>');
    expect(r.text).toContain('<label for="password">Password</label>');
    expect(r.text).toMatch(/<button type="submit"[^>]*>Log in<\/button>/);
    expect(r.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(r.text).not.toMatch(/\sstyle=|<style/);
    expect(r.text).not.toMatch(/https?:\/\//);
    expect(r.text).toMatch(/<script src="\/assets\/dashboard\.[0-9a-f]{12}\.js" defer><\/script>/);
  });

  it('sends a deactivated user to the sign-in form, which then stays put (no redirect loop)', async () => {
    const ivan = await createUser(t, acme, { role: 'member' });
    const r = await t
      .client(acme.host)
      .post('/api/v1/auth/session', { email: ivan.email, password: ivan.password });
    const ivanCookie = String([r.headers['set-cookie']].flat()[0]).split(';')[0];
    expect((await t.client(acme.host).get('/', { headers: { cookie: ivanCookie } })).headers.location).toBe(
      '/settings/api-tokens',
    );
    expect((await acme.owner.post(`/api/v1/users/${ivan.id}/deactivate`)).status).toBe(200);
    expect(
      (await t.client(acme.host).get('/api/v1/auth/me', { headers: { cookie: ivanCookie } })).status,
    ).toBe(401);
    const tokens = await t.client(acme.host).get('/settings/api-tokens', { headers: { cookie: ivanCookie } });
    expect(tokens.headers.location).toBe('/login');
    expect((await t.client(acme.host).get('/login', { headers: { cookie: ivanCookie } })).status).toBe(200);
  });

  it('answers a signed-in visit to /login with the dashboard', async () => {
    const r = await t.client(acme.host).get('/login', { headers: { cookie } });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/settings/api-tokens');
  });

  it('escapes the tenant name in the page', async () => {
    const slug = uniqueSlug();
    await t.app.get(TenantProvisioner).create(RequestContext.platform(), {
      slug,
      name: '<img src=x onerror=alert(1)>',
      owner_email: `owner@${slug}.test`,
      owner_password: 'owner-password-1',
    });
    const r = await t.client(`${slug}.localhost`).get('/login');
    expect(r.text).not.toContain('<img');
    expect(r.text).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });

  it('serves the assets with hashed names and a year of immutable caching; anything else is 404', async () => {
    const page = await t.client(acme.host).get('/login');
    const urls = [...page.text.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(urls).toHaveLength(3); // the stylesheet, the script and the tab icon
    let weight = Buffer.byteLength(page.text);
    for (const url of urls) {
      const asset = await t.client(acme.host).get(url);
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(asset.headers['content-type']).toMatch(
        /^(text\/(css|javascript); charset=utf-8|image\/svg\+xml)$/,
      );
      weight += asset.text ? Buffer.byteLength(asset.text) : Number(asset.headers['content-length']);
    }
    // The whole page, uncompressed: small enough to say so (README, "Dashboard").
    expect(weight).toBeLessThan(80_000);
    expect((await t.client(acme.host).get('/assets/dashboard.000000000000.js')).status).toBe(404);
    expect((await t.client(acme.host).get('/assets/..%2F..%2Fpackage.json')).status).toBe(404);
  });
});
