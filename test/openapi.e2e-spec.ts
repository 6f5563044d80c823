import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPlatformKey, createTenant, TenantFixture } from './support/fixtures';
import { Reply } from './support/http';
import { createKey } from './support/keys';
import { sanctumToken } from './support/legacy-dumps';
import { documentPath, OpenApiContract } from './support/openapi-contract';
import { routeInventory } from './support/route-inventory';
import { startApp, TestApp } from './support/test-app';

const run = promisify(execFile);

describe('OpenAPI: /openapi.json and /docs, generated from the code', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let document: Record<string, any>;
  let contract: OpenApiContract;
  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
    const res = await t.client('localhost').get('/openapi.json');
    expect(res.status).toBe(200);
    document = res.body;
    contract = new OpenApiContract(document);
  });
  afterAll(() => t.close());

  it('is an OpenAPI 3.1 document served on every host, without a credential', async () => {
    expect(document.openapi).toBe('3.1.0');
    for (const host of [acme.host, 'localhost', 'nobody-here.localhost']) {
      const res = await t.client(host).get('/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.paths).toEqual(document.paths);
    }
  });

  it('serves interactive docs from this process only (no CDN), and nothing but its own assets', async () => {
    const page = await t.client(acme.host).get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const source of sources) {
      expect(source.startsWith('/docs/')).toBe(true);
      const asset = await t.client('nobody-here.localhost').get(source);
      expect(asset.status).toBe(200);
      expect(asset.text.length).toBeGreaterThan(10);
    }
    expect((await t.client(acme.host).get('/docs/package.json')).status).toBe(404);
    expect((await t.client(acme.host).get('/docs/..%2Fpackage.json')).status).toBe(404);
  });

  it('has every route of the route inventory, with its access: security, x-required-scope, description', () => {
    const routes = routeInventory(t.app);
    expect(routes.length).toBeGreaterThan(50);
    for (const { route, access } of routes) {
      const operation = contract.operation(route);
      expect({ route, found: !!operation }).toEqual({ route, found: true });
      expect(operation!['x-keygate-access']).toBe(access);
      const scope = /^scope ([^,]+)/.exec(access)?.[1];
      expect({ route, scope: operation!['x-required-scope'] }).toEqual({ route, scope });
      if (scope) expect(operation!.description).toContain(`\`${scope}\``);
      if (access.startsWith('public')) expect(operation!.security).toEqual([]);
      else
        expect(operation!.security).toEqual(
          expect.arrayContaining([{ bearer: [] }, { apiKey: [] }, { basic: [] }]),
        );
      if (access !== 'public, any host')
        expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(['404', '429']));
      if (!access.startsWith('public'))
        expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(
      routes.map((r) => `${r.route.split(' ')[0]} ${documentPath(r.route.split(' ')[1])}`).sort(),
    );
  });

  it('describes request bodies from the DTOs and the error bodies of the contract', () => {
    const create = contract.operation('POST /api/v1/api-keys')!;
    expect(create.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CreateApiKeyDto',
    });
    const dto = document.components.schemas.CreateApiKeyDto;
    expect(dto.required).toEqual(['name', 'scopes']);
    expect(dto.properties.environment.enum).toEqual(['live', 'test']);
    expect(dto.properties.expires_at.anyOf).toContainEqual({ type: 'null' });
    expect(document.components.schemas.UpdateApiKeyDto.required).toBeUndefined();
    expect(document.components.schemas.ForbiddenError.properties).toHaveProperty('required_scope');
    expect(document.components.schemas.ForbiddenError.properties).toHaveProperty('reason');
    expect(contract.operation('POST /api/v1/api-keys/:id/rotate')!.responses['409']).toBeDefined();
    expect(
      contract.operation('POST /api/v1/keys/verify')!.responses['200'].content['application/json'].schema,
    ).toEqual({
      $ref: '#/components/schemas/VerifyResult',
    });
    expect(Object.keys(document.components.securitySchemes)).toEqual(
      expect.arrayContaining(['bearer', 'apiKey', 'basic']),
    );
  });

  it('passes `redocly lint` with no errors and no warnings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keygate-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const cli = require.resolve('@redocly/cli/bin/cli.js');
      const config = join(__dirname, '..', 'redocly.yaml');
      const { stdout } = await run(
        process.execPath,
        [cli, 'lint', file, '--config', config, '--format=json'],
        { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      );
      const report = JSON.parse(stdout.slice(stdout.indexOf('{')));
      expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
      expect(Array.isArray(report.problems)).toBe(true);
      // redocly.yaml turns operation-2xx-response off for the one redirect-only page (`GET /`):
      // every other operation has a 2XX, and that one answers a 3XX.
      const without2xx = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item as Record<string, { responses: object }>)
          .filter(([, op]) => !Object.keys(op.responses).some((code) => code.startsWith('2')))
          .map(([method, op]) => [`${method.toUpperCase()} ${path}`, Object.keys(op.responses)[0]]),
      );
      expect(without2xx).toEqual([['GET /', '302']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('matches real answers of every controller, errors included, with their documented schemas', async () => {
    const recorded: Array<[string, Reply]> = [];
    const rec = (route: string, reply: Reply) => {
      recorded.push([route, reply]);
      return reply;
    };
    const owner = acme.owner;
    const anonymous = t.client(acme.host);
    // Keys: create, list, get, update, rotate (and again: 409), revoke, revoke by value, delete, verify.
    const created = rec(
      'POST /api/v1/api-keys',
      await owner.post('/api/v1/api-keys', { name: 'a', scopes: ['api-keys:read', 'keys:verify'] }),
    );
    const id = created.body.id as string;
    rec('GET /api/v1/api-keys', await owner.get('/api/v1/api-keys'));
    rec('GET /api/v1/api-keys/:id', await owner.get(`/api/v1/api-keys/${id}`));
    rec(
      'PATCH /api/v1/api-keys/:id',
      await owner.patch(`/api/v1/api-keys/${id}`, { name: 'b', expires_at: null }),
    );
    const verifier = t.client(acme.host, created.body.key);
    rec('POST /api/v1/keys/verify', await verifier.post('/api/v1/keys/verify', { key: created.body.key }));
    rec('POST /api/v1/keys/verify', await verifier.post('/api/v1/keys/verify', { key: 'sk_live_nothing' }));
    rec(
      'POST /api/v1/keys/verify',
      await verifier.post('/api/v1/keys/verify', { key: created.body.key, scopes: ['users:read'] }),
    );
    rec('POST /api/v1/keys/verify', await verifier.post('/api/v1/keys/verify', { key: acme.token }));
    rec('POST /api/v1/api-keys/:id/rotate', await owner.post(`/api/v1/api-keys/${id}/rotate`, {}));
    rec('POST /api/v1/api-keys/:id/rotate', await owner.post(`/api/v1/api-keys/${id}/rotate`, {}));
    rec('POST /api/v1/api-keys/:id/revoke', await owner.post(`/api/v1/api-keys/${id}/revoke`, {}));
    const other = await createKey(owner, { scopes: ['api-keys:read'] });
    rec('POST /api/v1/api-keys/revoke', await owner.post('/api/v1/api-keys/revoke', { key: other.key }));
    rec('DELETE /api/v1/api-keys/:id', await owner.delete(`/api/v1/api-keys/${other.id}`));
    rec('GET /api/v1/api-keys/:id', await owner.get('/api/v1/api-keys/00000000-0000-4000-8000-000000000000'));
    // Errors of the pipeline: 401, 403 with required_scope, 422, 400, 429.
    rec('GET /api/v1/api-keys', await anonymous.get('/api/v1/api-keys'));
    const narrow = await createKey(owner, {
      scopes: ['api-keys:read'],
      rate_limit: { limit: 3, window_seconds: 60 },
    });
    const limited = t.client(acme.host, narrow.key);
    rec(
      'POST /api/v1/users',
      await limited.post('/api/v1/users', { email: 'x@y.test', password: 'long-enough-1', name: 'X' }),
    );
    rec('POST /api/v1/api-keys', await owner.post('/api/v1/api-keys', { name: '', scopes: 'nope' }));
    rec('POST /api/v1/api-keys', await owner.send('POST', '/api/v1/api-keys', { raw: '{"name":' }));
    for (let i = 0; i < 4; i++) rec('GET /api/v1/api-keys', await limited.get('/api/v1/api-keys'));
    // Auth, me, tokens.
    rec(
      'POST /api/v1/auth/login',
      await anonymous.post('/api/v1/auth/login', {
        email: `owner@${acme.slug}.test`,
        password: 'owner-password-1',
      }),
    );
    rec(
      'POST /api/v1/auth/login',
      await anonymous.post('/api/v1/auth/login', {
        email: `owner@${acme.slug}.test`,
        password: 'wrong-password',
      }),
    );
    rec('GET /api/v1/auth/me', await owner.get('/api/v1/auth/me'));
    rec(
      'GET /api/v1/auth/check',
      await owner.get('/api/v1/auth/check', { headers: { 'x-required-scope': 'users:read' } }),
    );
    const token = rec(
      'POST /api/v1/users/me/tokens',
      await owner.post('/api/v1/users/me/tokens', { name: 'ci', abilities: ['users:read'] }),
    );
    rec('GET /api/v1/users/me/tokens', await owner.get('/api/v1/users/me/tokens'));
    rec('DELETE /api/v1/users/me/tokens/:id', await owner.delete(`/api/v1/users/me/tokens/${token.body.id}`));
    rec('GET /api/v1/users/me', await owner.get('/api/v1/users/me'));
    rec(
      'PUT /api/v1/users/me/current-workspace',
      await owner.put('/api/v1/users/me/current-workspace', { workspace_id: acme.workspaceId }),
    );
    // Sessions: sign in (cookie and CSRF token), the current one, the list, 419 without the
    // token, revoke; the dashboard's pages and assets with and without it; then log out.
    const ownerPassword = { email: `owner@${acme.slug}.test`, password: 'owner-password-1' };
    const signedIn = rec(
      'POST /api/v1/auth/session',
      await anonymous.post('/api/v1/auth/session', ownerPassword),
    );
    rec(
      'POST /api/v1/auth/session',
      await anonymous.post('/api/v1/auth/session', { ...ownerPassword, password: 'wrong-password' }),
    );
    const cookie = String([signedIn.headers['set-cookie']].flat()[0]).split(';')[0];
    const browser = (extra: Record<string, string> = {}) => ({ headers: { cookie, ...extra } });
    const csrf = { 'x-csrf-token': String(signedIn.body.csrf_token) };
    rec('GET /api/v1/auth/session', await anonymous.get('/api/v1/auth/session', browser()));
    rec('GET /api/v1/auth/session', await owner.get('/api/v1/auth/session'));
    rec('GET /api/v1/auth/sessions', await anonymous.get('/api/v1/auth/sessions', browser()));
    const second = (await anonymous.post('/api/v1/auth/session', ownerPassword)).body.session_id as string;
    const csrfMissing = rec(
      'DELETE /api/v1/auth/sessions/:id',
      await anonymous.delete(`/api/v1/auth/sessions/${second}`, browser()),
    );
    expect(csrfMissing.status).toBe(419);
    rec(
      'DELETE /api/v1/auth/sessions/:id',
      await anonymous.delete(`/api/v1/auth/sessions/${second}`, browser(csrf)),
    );
    rec(
      'DELETE /api/v1/auth/sessions/:id',
      await anonymous.delete('/api/v1/auth/sessions/ses_nothing', browser(csrf)),
    );
    rec('GET /', await anonymous.get('/'));
    rec('GET /', await anonymous.get('/', browser()));
    const loginPage = rec('GET /login', await anonymous.get('/login'));
    rec('GET /login', await anonymous.get('/login', browser()));
    rec('GET /login', await t.client('nobody-here.localhost').get('/login'));
    for (const page of ['api-tokens', 'api-keys', 'audit']) {
      rec(`GET /settings/${page}`, await anonymous.get(`/settings/${page}`, browser()));
      rec(`GET /settings/${page}`, await anonymous.get(`/settings/${page}`));
    }
    const assets = [...loginPage.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) rec('GET /assets/:file', await anonymous.get(asset));
    rec('GET /assets/:file', await anonymous.get('/assets/nothing.0000.css'));
    rec('POST /api/v1/auth/logout', await anonymous.post('/api/v1/auth/logout', {}, browser(csrf)));
    // Legacy imports: a Sanctum dump, then one with a row it refuses (422).
    const sanctum = sanctumToken(7, 501);
    const sanctumUsers = [{ id: 501, email: ownerPassword.email }];
    rec(
      'POST /api/v1/api-keys/import',
      await owner.post('/api/v1/api-keys/import', {
        format: 'sanctum',
        rows: [sanctum.row],
        users: sanctumUsers,
      }),
    );
    rec(
      'POST /api/v1/api-keys/import',
      await owner.post('/api/v1/api-keys/import', {
        format: 'sanctum',
        rows: [{ ...sanctumToken(8, 502).row, token: 'not-a-hash' }],
        users: sanctumUsers,
      }),
    );
    // OAuth clients and the OAuth endpoints (form with Basic, JSON body; RFC 6749 errors).
    const oauthClient = rec(
      'POST /api/v1/oauth-clients',
      await owner.post('/api/v1/oauth-clients', { name: 'reports', scopes: ['invoices:read'] }),
    );
    rec('POST /api/v1/oauth-clients', await owner.post('/api/v1/oauth-clients', { name: '' }));
    rec('GET /api/v1/oauth-clients', await owner.get('/api/v1/oauth-clients'));
    rec('GET /api/v1/oauth-clients/:id', await owner.get(`/api/v1/oauth-clients/${oauthClient.body.id}`));
    const { client_id, client_secret } = oauthClient.body as Record<string, string>;
    const basicOf = (secret: string) => `Basic ${Buffer.from(`${client_id}:${secret}`).toString('base64')}`;
    const oauthForm = (path: string, fields: Record<string, string>, secret = client_secret) =>
      anonymous.send('POST', path, {
        raw: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicOf(secret) },
      });
    const issued = rec(
      'POST /oauth/token',
      await oauthForm('/oauth/token', { grant_type: 'client_credentials', scope: 'invoices:read' }),
    );
    rec(
      'POST /oauth/token',
      await anonymous.post('/oauth/token', { grant_type: 'client_credentials', client_id, client_secret }),
    );
    rec('POST /oauth/token', await oauthForm('/oauth/token', { grant_type: 'client_credentials' }, 'ocs_x'));
    rec('POST /oauth/token', await oauthForm('/oauth/token', { grant_type: 'password' }));
    const accessToken = String(issued.body.access_token);
    rec('POST /oauth/introspect', await oauthForm('/oauth/introspect', { token: accessToken }));
    rec('POST /oauth/introspect', await oauthForm('/oauth/introspect', {}));
    rec('POST /oauth/revoke', await oauthForm('/oauth/revoke', { token: accessToken }));
    rec('POST /oauth/revoke', await oauthForm('/oauth/revoke', { token: accessToken }, 'ocs_x'));
    rec('POST /oauth/introspect', await oauthForm('/oauth/introspect', { token: accessToken }));
    rec(
      'DELETE /api/v1/oauth-clients/:id',
      await owner.delete(`/api/v1/oauth-clients/${oauthClient.body.id}`),
    );
    rec('GET /api/v1/oauth-clients/:id', await owner.get(`/api/v1/oauth-clients/${oauthClient.body.id}`));
    // Users, workspaces, members, roles, scopes, audit.
    const user = rec(
      'POST /api/v1/users',
      await owner.post('/api/v1/users', {
        email: `u@${acme.slug}.test`,
        password: 'long-enough-1',
        name: 'U',
      }),
    );
    rec('GET /api/v1/users', await owner.get('/api/v1/users'));
    rec('GET /api/v1/users/search', await owner.get('/api/v1/users/search?q=u'));
    rec('GET /api/v1/users/:id', await owner.get(`/api/v1/users/${user.body.id}`));
    rec('PATCH /api/v1/users/:id', await owner.patch(`/api/v1/users/${user.body.id}`, { name: 'U2' }));
    rec(
      'POST /api/v1/users/:id/deactivate',
      await owner.post(`/api/v1/users/${user.body.id}/deactivate`, {}),
    );
    rec(
      'POST /api/v1/users/:id/reactivate',
      await owner.post(`/api/v1/users/${user.body.id}/reactivate`, {}),
    );
    const ws = rec('POST /api/v1/workspaces', await owner.post('/api/v1/workspaces', { name: 'Second' }));
    rec('GET /api/v1/workspaces', await owner.get('/api/v1/workspaces'));
    rec('GET /api/v1/workspaces/:id', await owner.get(`/api/v1/workspaces/${ws.body.id}`));
    rec(
      'PATCH /api/v1/workspaces/:id',
      await owner.patch(`/api/v1/workspaces/${ws.body.id}`, { name: 'Third' }),
    );
    rec(
      'POST /api/v1/workspaces/:id/members',
      await owner.post(`/api/v1/workspaces/${ws.body.id}/members`, { user_id: user.body.id, role: 'viewer' }),
    );
    rec('GET /api/v1/workspaces/:id/members', await owner.get(`/api/v1/workspaces/${ws.body.id}/members`));
    rec(
      'PATCH /api/v1/workspaces/:id/members/:userId',
      await owner.patch(`/api/v1/workspaces/${ws.body.id}/members/${user.body.id}`, { role: 'member' }),
    );
    rec(
      'POST /api/v1/workspaces/:id/suspend',
      await owner.post(`/api/v1/workspaces/${ws.body.id}/suspend`, {}),
    );
    rec(
      'POST /api/v1/workspaces/:id/resume',
      await owner.post(`/api/v1/workspaces/${ws.body.id}/resume`, {}),
    );
    rec(
      'DELETE /api/v1/workspaces/:id/members/:userId',
      await owner.delete(`/api/v1/workspaces/${ws.body.id}/members/${user.body.id}`),
    );
    rec('DELETE /api/v1/users/:id', await owner.delete(`/api/v1/users/${user.body.id}`));
    rec('GET /api/v1/roles', await owner.get('/api/v1/roles'));
    const role = rec(
      'POST /api/v1/roles',
      await owner.post('/api/v1/roles', {
        name: 'auditor',
        description: 'Reads the log',
        permissions: ['audit-logs:read'],
      }),
    );
    rec('GET /api/v1/roles/:id', await owner.get(`/api/v1/roles/${role.body.id}`));
    rec(
      'PATCH /api/v1/roles/:id',
      await owner.patch(`/api/v1/roles/${role.body.id}`, { description: 'Reads' }),
    );
    rec('DELETE /api/v1/roles/:id', await owner.delete(`/api/v1/roles/${role.body.id}`));
    rec(
      'POST /api/v1/scopes',
      await owner.post('/api/v1/scopes', { name: 'reports:read', description: 'Reports' }),
    );
    rec('GET /api/v1/scopes', await owner.get('/api/v1/scopes'));
    rec('GET /api/v1/audit-logs', await owner.get('/api/v1/audit-logs'));
    rec('DELETE /api/v1/workspaces/:id', await owner.delete(`/api/v1/workspaces/${ws.body.id}`));
    // Examples, health, platform API.
    rec('GET /api/v1/invoices', await owner.get('/api/v1/invoices'));
    rec('POST /api/v1/invoices', await owner.post('/api/v1/invoices', { customer: 'c', amount: 5 }));
    rec('GET /api/v1/clients', await owner.get('/api/v1/clients'));
    rec('GET /api/v1/ping/public', await anonymous.get('/api/v1/ping/public'));
    rec('GET /health', await t.client('anything.localhost').get('/health'));
    rec('GET /health/live', await t.client('anything.localhost').get('/health/live'));
    rec('GET /health/ready', await t.client('anything.localhost').get('/health/ready'));
    const platform = t.client('localhost', await createPlatformKey(t));
    rec('GET /metrics', await platform.get('/metrics'));
    rec('GET /metrics', await t.client('localhost').get('/metrics'));
    const tenant = rec(
      'POST /api/v1/tenants',
      await platform.post('/api/v1/tenants', {
        slug: `p-${acme.slug}`,
        name: 'P',
        owner_email: `o@p-${acme.slug}.test`,
        owner_password: 'owner-password-1',
      }),
    );
    rec('GET /api/v1/tenants', await platform.get('/api/v1/tenants'));
    rec(
      'GET /api/v1/tenants/:id',
      await platform.get(`/api/v1/tenants/${tenant.body.tenant?.id ?? tenant.body.id}`),
    );
    rec('GET /api/v1/tenants', await t.client('localhost', acme.token).get('/api/v1/tenants'));

    // Every controller is in the recording (each tag of the document has an answer checked).
    const tagsSeen = new Set(recorded.flatMap(([route]) => contract.operation(route)?.tags ?? []));
    expect(
      [...document.tags.map((tag: { name: string }) => tag.name)].filter((tag) => !tagsSeen.has(tag)),
    ).toEqual(['OpenApi']);
    const statuses = new Set(recorded.map(([, r]) => r.status));
    for (const status of [200, 201, 204, 302, 400, 401, 403, 404, 409, 419, 422, 429])
      expect({ status, seen: statuses.has(status) }).toEqual({ status, seen: true });
    const problems = recorded.flatMap(([route, reply]) => contract.problems(route, reply));
    expect(problems).toEqual([]);
    // The checker itself can fail: a body missing a required field does not pass.
    expect(
      contract.problems('GET /api/v1/api-keys/:id', { ...recorded[2][1], body: { id: 'x' } }).length,
    ).toBeGreaterThan(0);
    expect(contract.problems('GET /api/v1/api-keys/:id', { ...recorded[2][1], status: 418 })).toEqual([
      'GET /api/v1/api-keys/:id answered 418, which the document does not list',
    ]);
    // The media type is checked too: a page is neither JSON nor an asset.
    const asJson = { ...loginPage, headers: { ...loginPage.headers, 'content-type': 'application/json' } };
    expect(contract.problems('GET /login', asJson)).toEqual([
      'GET /login 200: answered application/json, not one of text/html',
    ]);
    expect(contract.problems('GET /assets/:file', loginPage)).toEqual([
      'GET /assets/:file 200: answered text/html, not one of text/css, text/javascript, image/svg+xml',
    ]);
  });
});
