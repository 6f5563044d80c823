import type { Browser, BrowserContext, Page } from 'playwright-core';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { KeyUsageDaily } from '../src/api-keys/key-usage-daily.entity';
import { createTenant, TenantFixture } from './support/fixtures';
import { startApp, TestApp } from './support/test-app';
import { addMember, createUser, UserFixture } from './support/users';
import { describeInBrowser, launchBrowser, screenshotDir } from './support/browser';

/**
 * The dashboard in a real Chromium: what a person does, found by the accessible names of the
 * contract (product.md, "Dashboard and sessions"), checked against the real API afterwards.
 */
jest.setTimeout(90_000);

/** Polls `read` until it returns `expected` (a UI that updates after a request). */
async function eventually<T>(read: () => Promise<T>, expected: T, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  let last = await read();
  while (last !== expected && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  expect(last).toBe(expected);
}

describeInBrowser('dashboard in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let acme: TenantFixture;
  let globex: TenantFixture;
  let vera: UserFixture;
  /** A member with a password and no token at all (her token list starts empty). */
  const mia = { email: '', password: 'mia-password-1' };
  const contexts: BrowserContext[] = [];
  const shots = screenshotDir();

  const base = (tenant: TenantFixture) => `http://${tenant.host}:${t.port}`;
  const ownerEmail = (tenant: TenantFixture) => `owner@${tenant.slug}.test`;

  async function signIn(tenant: TenantFixture, email: string, password: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${base(tenant)}/`);
    await page.waitForURL('**/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/settings/api-tokens');
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const api = (tenant: TenantFixture, key: string) => t.client(tenant.host, key);

  beforeAll(async () => {
    t = await startApp();
    browser = await launchBrowser();
    acme = await createTenant(t);
    globex = await createTenant(t);
    vera = await createUser(t, acme, {
      role: 'viewer',
      name: 'Vera Viewer',
      email: `vera@${acme.slug}.test`,
      password: 'vera-password-1',
    });
    mia.email = `mia@${acme.slug}.test`;
    const created = await acme.owner.post('/api/v1/users', {
      email: mia.email,
      password: mia.password,
      name: 'Mia Member',
    });
    await addMember(acme, acme.workspaceId, created.body.id, 'member');
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  it('signs in with Email, Password and Log in; the cookie is HttpOnly and SameSite=Lax', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    // Everything the pages load answers (no /favicon.ico 404 in every log).
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().includes('/api/')) failed.push(response.url());
    });
    await page.goto(`${base(acme)}/login`);
    await screenshot(page, 'login');
    await page.getByLabel('Email').fill(ownerEmail(acme));
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('That email and password do not match.').waitFor();
    expect(page.url()).toBe(`${base(acme)}/login`);
    await page.getByLabel('Password').fill('owner-password-1');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/settings/api-tokens');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'keygate_session', httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(await page.evaluate('document.cookie')).toBe('');
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect((await t.client(acme.host).get(icon!)).headers['content-type']).toBe('image/svg+xml');
    expect(failed).toEqual([]);
  });

  it('creates a token with two abilities, copies it once, uses it, and revokes it in the UI', async () => {
    const page = await signIn(acme, mia.email, mia.password);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base(acme) });
    await page.getByText('No tokens yet').waitFor();
    await screenshot(page, 'api-tokens-empty');
    await page.getByRole('button', { name: 'Create New Token' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Invoices script');
    await page.getByRole('checkbox', { name: 'invoices:read', exact: true }).check();
    await page.getByRole('checkbox', { name: 'api-keys:read', exact: true }).check();
    // A member holds *:read and api-keys:*: nothing else is offered.
    expect(await page.getByRole('checkbox', { name: 'invoices:create', exact: true }).count()).toBe(0);
    await screenshot(page, 'api-tokens-create');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText("won't be shown again").waitFor();
    const shown = await page.locator('#new-secret').inputValue();
    expect(shown).toMatch(/^ut_/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(shown);
    await screenshot(page, 'api-tokens-created');

    expect((await api(acme, shown).get('/api/v1/invoices')).status).toBe(200);
    expect((await api(acme, shown).get('/api/v1/api-keys')).status).toBe(200);
    const outside = await api(acme, shown).get('/api/v1/users');
    expect(outside.status).toBe(403);
    expect(outside.body.required_scope).toBe('users:read');

    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.locator('#new-secret').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke Invoices script' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No tokens yet').waitFor();
    expect((await api(acme, shown).get('/api/v1/invoices')).status).toBe(401);
  });

  it('lists the devices signed in and signs another one out', async () => {
    const other = await signIn(acme, ownerEmail(acme), 'owner-password-1');
    const page = await signIn(acme, ownerEmail(acme), 'owner-password-1');
    await page.getByText('This device').waitFor();
    const signOuts = page.getByRole('button', { name: /^Sign out / });
    const before = await signOuts.count();
    expect(before).toBeGreaterThanOrEqual(2);
    await signOuts.first().click();
    await eventually(() => signOuts.count(), before - 1);
    // The newest other session (the first listed) was `other`: its next request goes to /login.
    await other.reload();
    await other.waitForURL('**/login');
  });

  it('creates, rotates and revokes a workspace key; test keys are marked; usage is charted', async () => {
    const page = await signIn(acme, ownerEmail(acme), 'owner-password-1');
    await page.goto(`${base(acme)}/settings/api-keys`);
    await page.getByText(/No API keys in/).waitFor();
    await screenshot(page, 'api-keys-empty');
    await page.getByRole('button', { name: 'Create New Key' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Billing sync');
    await page.getByRole('checkbox', { name: 'invoices:read', exact: true }).check();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText("won't be shown again").waitFor();
    const first = await page.locator('#new-secret').inputValue();
    expect(first).toMatch(/^sk_live_/);
    for (let i = 0; i < 3; i++) expect((await api(acme, first).get('/api/v1/invoices')).status).toBe(200);
    expect((await api(acme, first).post('/api/v1/invoices', { amount: 1 })).status).toBe(403);

    await page.getByRole('button', { name: 'Create New Key' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Staging');
    await page.getByRole('checkbox', { name: 'invoices:read', exact: true }).check();
    await page.getByLabel('Test (sk_test_, test data only)').check();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    // The first key's panel is still open until this one replaces it.
    await page.getByText('Your new key “Staging”').waitFor();
    expect(await page.locator('#new-secret').inputValue()).toMatch(/^sk_test_/);
    await page.getByRole('button', { name: 'Done' }).click();
    // The 29 days before today, as the usage recorder's flushes would have written them.
    const keys = await acme.owner.get('/api/v1/api-keys');
    const billingId = keys.body.data.find((k: { name: string }) => k.name === 'Billing sync').id;
    const history = Array.from({ length: 29 }, (_, i) => ({
      apiKeyId: billingId,
      tenantId: acme.tenantId,
      day: new Date(Date.now() - (i + 1) * 86400_000).toISOString().slice(0, 10),
      count: 40 + ((i * 37) % 60),
    }));
    await t.app.get(DataSource).getRepository(KeyUsageDaily).insert(history);
    const total = history.reduce((sum, h) => sum + h.count, 0) + 4;
    await page.reload();
    const staging = page.locator('li.row', { hasText: 'Staging' });
    await staging.getByText('Test', { exact: true }).waitFor();
    const billing = page.locator('li.row', { hasText: 'Billing sync' });
    await billing.getByText('Live', { exact: true }).waitFor();
    // Every authenticated request counts, the refused POST too (3 + 1 today).
    await billing.getByText(`${total.toLocaleString('en-US')} requests in 30 days`).waitFor();
    expect(await billing.locator('svg[role="img"] rect').count()).toBe(30);
    await screenshot(page, 'api-keys');

    await page.getByRole('button', { name: 'Rotate Billing sync' }).click();
    const rotate = page.getByRole('dialog');
    await rotate.getByLabel('Old key keeps working for').selectOption('0');
    await rotate.getByRole('button', { name: 'Rotate' }).click();
    await page.getByText('The new key for “Billing sync”').waitFor();
    const second = await page.locator('#new-secret').inputValue();
    expect(second).toMatch(/^sk_live_/);
    expect(second).not.toBe(first);
    expect((await api(acme, first).get('/api/v1/invoices')).status).toBe(401);
    expect((await api(acme, second).get('/api/v1/invoices')).status).toBe(200);

    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Revoke Billing sync' }).click();
    // Wait for the revoke itself: the rotated-out key's row says "revoked" already, so waiting for
    // that word raced the request (seen once on MariaDB).
    const [revoked] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/revoke') && r.request().method() === 'POST'),
      page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click(),
    ]);
    expect(revoked.status()).toBe(200);
    await page.locator('li.row', { hasText: 'Billing sync' }).getByText('revoked').first().waitFor();
    expect((await api(acme, second).get('/api/v1/invoices')).status).toBe(401);
  });

  it('offers a viewer no create button, nor rotate or revoke', async () => {
    await acme.owner.post('/api/v1/api-keys', { name: 'Reporting', scopes: ['invoices:read'] });
    const page = await signIn(acme, vera.email, vera.password);
    await page.goto(`${base(acme)}/settings/api-keys`);
    await page.locator('li.row', { hasText: 'Reporting' }).waitFor();
    await page.getByText('Vera Viewer').waitFor();
    expect(await page.getByRole('button', { name: 'Create New Key' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Rotate|Revoke) / }).count()).toBe(0);
    await screenshot(page, 'api-keys-viewer');
  });

  it('offers a member Rotate only on keys whose scopes she holds, Revoke on every key', async () => {
    await acme.owner.post('/api/v1/api-keys', { name: 'Everything', scopes: ['*'] });
    await acme.owner.post('/api/v1/api-keys', { name: 'Readable', scopes: ['invoices:read'] });
    const page = await signIn(acme, mia.email, mia.password);
    await page.goto(`${base(acme)}/settings/api-keys`);
    await page.locator('li.row', { hasText: 'Everything' }).waitFor();
    await page.locator('li.row', { hasText: 'Readable' }).waitFor();
    expect(await page.getByRole('button', { name: 'Rotate Everything' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Revoke Everything' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Rotate Readable' }).count()).toBe(1);
  });

  it('renders a key named <img src=x onerror=alert(1)> as text and runs nothing', async () => {
    const name = '<img src=x onerror=alert(1)>';
    expect((await acme.owner.post('/api/v1/api-keys', { name, scopes: ['invoices:read'] })).status).toBe(201);
    const page = await signIn(acme, ownerEmail(acme), 'owner-password-1');
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${base(acme)}/settings/api-keys`);
    await page.getByText(name, { exact: true }).waitFor();
    await page.getByRole('button', { name: `Revoke ${name}` }).waitFor();
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(await page.locator('main img').count()).toBe(0);
  });

  it('refuses a state-changing call with the session cookie and no CSRF token (419)', async () => {
    const page = await signIn(acme, ownerEmail(acme), 'owner-password-1');
    const result = await page.evaluate(async () => {
      const res = await fetch('/api/v1/users/me/tokens', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'no csrf' }),
      });
      return { status: res.status, body: await res.json() };
    });
    expect(result).toEqual({ status: 419, body: { message: 'CSRF token mismatch.' } });
  });

  it('does not accept the session on another tenant host', async () => {
    const page = await signIn(acme, ownerEmail(acme), 'owner-password-1');
    const [cookie] = await page.context().cookies();
    await page.context().addCookies([{ ...cookie, domain: globex.host }]);
    await page.goto(`${base(globex)}/settings/api-tokens`);
    await page.waitForURL(`${base(globex)}/login`);
    const me = await t.client(globex.host).get('/api/v1/auth/me', {
      headers: { cookie: `${cookie.name}=${cookie.value}` },
    });
    expect(me.status).toBe(401);
  });

  it('shows the audit log, newest first, and logs out', async () => {
    const page = await signIn(acme, ownerEmail(acme), 'owner-password-1');
    await page.goto(`${base(acme)}/settings/audit`);
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toContain('user.signed_in');
    expect(await page.getByText('api_key.revoked').count()).toBeGreaterThan(0);
    await screenshot(page, 'audit');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await page.goto(`${base(acme)}/settings/audit`);
    await page.waitForURL('**/login');
  });
});
