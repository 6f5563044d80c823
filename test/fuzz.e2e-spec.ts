import { Agent, request as httpRequest } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { crc32Ascii } from '../src/api-keys/crc32';
import { createTenant, TenantFixture } from './support/fixtures';
import {
  BodyCase,
  bodyCases,
  BodyContext,
  BodyRoute,
  CredentialCase,
  credentialCases,
  CredentialContext,
  DEFAULT_FUZZ_SEED,
  forgeKey,
  formatTally,
  isWellFormed,
  RealCredential,
  Rng,
  SECRET_TAIL_LENGTH,
  splitKey,
} from './support/fuzz-generators';
import { call } from './support/http';
import { startApp, TestApp } from './support/test-app';
import { createUser, issueWorkspaceKey } from './support/users';

/**
 * A seeded fuzz pass over the two things any client controls: the credential headers and the JSON
 * body. product.md ("Errors"): never a 500 for anything a client can send, the same 401 body for
 * every failed credential, and no key in the log. Reproduce a run with FUZZ_SEED=<the printed seed>.
 */
const SEED = Number(process.env.FUZZ_SEED ?? DEFAULT_FUZZ_SEED) >>> 0;
const CREDENTIAL_CASES = Number(process.env.FUZZ_CREDENTIALS ?? 10_400);
const CONCURRENCY = 16;
const BODY_LIMIT = 65_536;
const PROTECTED_PATHS = ['/api/v1/auth/me', '/api/v1/api-keys'];
const UNAUTHENTICATED = { message: 'Unauthenticated.' };
/** Node's server refuses request heads over 16 KiB (431) before the app sees them. */
const NODE_MAX_HEADER_BYTES = 16_000;
const KEY_ANYWHERE = /(?:sk_live|sk_test|ut|kgp)_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}/g;

interface Outcome {
  status: number;
  text: string;
  body: unknown;
  error?: string;
}

interface Request {
  method: string;
  path: string;
  host: string;
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
  /** undefined: application/json when there is a body; null: no Content-Type at all. */
  contentType?: string | null;
  token?: string | null;
  /** On a connection of its own (a 431 makes the server drop the connection it came on). */
  fresh?: boolean;
}

interface Failure {
  count: number;
  sample: Request;
  status: number;
  text: string;
}

interface Explained {
  key: string;
  /** What the server logged for the sample when it was sent again alone (ERROR lines), or why not. */
  signature: string;
  detail: string;
}

const oneLine = (text: string, max = 160) => {
  const flat = JSON.stringify(text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);
  return flat.slice(1, -1);
};

async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** A request through test/support/http.ts `call`, or straight through node:http when `call` cannot say it (bytes, repeated headers, no Content-Type). */
async function send(port: number, r: Request, agent?: Agent): Promise<Outcome> {
  const simple =
    !r.fresh &&
    !agent &&
    typeof r.body !== 'object' &&
    r.contentType !== null &&
    Object.values(r.headers).every((v) => typeof v === 'string');
  try {
    if (simple) {
      const headers = { ...(r.headers as Record<string, string>) };
      if (typeof r.contentType === 'string') headers['content-type'] = r.contentType;
      const res = await call(port, r.method, r.path, {
        host: r.host,
        headers,
        raw: r.body as string | undefined,
        token: r.token,
      });
      return { status: res.status, text: res.text, body: res.body };
    }
    return await sendRaw(port, r, r.fresh ? false : agent);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { status: 0, text: '', body: undefined, error: e.code ?? e.message };
  }
}

function sendRaw(port: number, r: Request, agent?: Agent | false): Promise<Outcome> {
  const headers: Record<string, string | string[]> = { host: r.host, ...r.headers };
  if (r.token) headers.authorization = `Bearer ${r.token}`;
  if (r.body !== undefined && r.contentType !== null)
    headers['content-type'] = r.contentType ?? 'application/json';
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = text;
          }
          resolve({ status: res.statusCode ?? 0, text, body });
        });
      },
    );
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/** `PATCH /api/v1/api-keys/:id`: a route as a person reads it (ids are random per run). */
const routeName = (route: BodyRoute) =>
  `${route.method} ${route.path.replace(/\/[a-z]+_[0-9A-Z]{26}(?=\/|$)/g, '/:id')}`;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe(`fuzz (seed ${SEED})`, () => {
  let t: TestApp;
  let acme: TenantFixture;
  let globex: TenantFixture;
  /** Every real key or token issued in this file (fixtures, and any the app handed back). */
  const issued = new Set<string>();
  /** Every well-formed (shape and checksum) key value the generators made up. */
  const forged = new Set<string>();
  const failures = new Map<string, Failure>();
  const ctx: CredentialContext = { own: [], foreign: [], revoked: [], protectedPaths: PROTECTED_PATHS };
  let bodyCtx: BodyContext;
  let routes: BodyRoute[] = [];

  const real = (label: string, key: string): RealCredential => {
    issued.add(key);
    return { label, key, keyId: splitKey(key)!.keyId };
  };

  /** Keys and tokens in any response body count as issued (rotations, creations, logins). */
  const harvest = (text: string) => {
    for (const match of text.match(KEY_ANYWHERE) ?? []) if (isWellFormed(match)) issued.add(match);
  };

  const fail = (key: string, sample: Request, outcome: Outcome) => {
    const known = failures.get(key);
    if (known) known.count++;
    else failures.set(key, { count: 1, sample, status: outcome.status, text: outcome.text });
  };

  /** Issued keys shown as `<prefix>_<secret>` in the test output; made-up ones are shown as sent. */
  const redact = (text: string) => {
    let out = text;
    for (const key of issued)
      if (out.includes(key)) out = out.split(key).join(`${key.slice(0, -SECRET_TAIL_LENGTH - 1)}_<secret>`);
    return out;
  };

  /**
   * Replays the first sample of every failure class of `phase`, alone, and notes what the server
   * logged for it: the report names a cause, not just a status.
   */
  const explain = async (phase: string): Promise<Explained[]> => {
    const out: Explained[] = [];
    for (const [key, failure] of failures) {
      if (!key.startsWith(`${phase} |`)) continue;
      const before = t.logger.lines.length;
      const again = await send(t.port, failure.sample);
      await new Promise((resolve) => setTimeout(resolve, 10));
      const logged = t.logger.lines.slice(before).filter((l) => !l.startsWith('LOG '));
      const errors = logged
        .filter((l) => l.startsWith('ERROR') || l.startsWith('FATAL'))
        .map((l) =>
          l
            .split('\n')
            .slice(0, 2)
            .map((part) =>
              part
                .trim()
                .replace(/\(?\/[^ ]*\/(node_modules|src)\//g, '$1/')
                .replace(/:\d+:\d+\)?/g, ''),
            )
            .join(' '),
        );
      const signature = errors.length
        ? errors[0]
        : again.status !== failure.status
          ? `(not reproduced alone: the replay answered ${again.status || again.error})`
          : again.status === 0
            ? `(no response, on the replay either: ${again.error})`
            : '(no ERROR logged)';
      const sample = failure.sample;
      const sampleBody =
        sample.body === undefined
          ? ''
          : ` content-type=${JSON.stringify(sample.contentType ?? 'application/json')} body=${oneLine(redact(sample.body.toString('latin1')), 120)}`;
      out.push({
        key,
        signature,
        detail:
          `${key}  x${failure.count}\n    sample: ${sample.method} ${sample.path} headers=${oneLine(redact(JSON.stringify(sample.headers)), 220)}${sampleBody}` +
          `\n    answered: ${failure.status} ${oneLine(redact(failure.text), 160)} (replayed alone: ${again.status || again.error})` +
          `\n    log: ${logged.length ? logged.map((l) => oneLine(redact(l.split('\n').slice(0, 3).join(' | ')), 400)).join('\n         ') : '(only the access line)'}`,
      });
    }
    return out;
  };

  /** The failures of a phase, in detail and then grouped by what the server logged. */
  const report = (phase: string, explained: Explained[]) => {
    if (!explained.length) return;
    const bySignature = new Map<string, string[]>();
    for (const e of explained)
      bySignature.set(e.signature, [
        ...(bySignature.get(e.signature) ?? []),
        e.key.split(' | ').slice(1, 3).join(' | '),
      ]);
    console.log(
      `fuzz: ${phase} failures, ${explained.length} classes\n${explained.map((e) => e.detail).join('\n')}\n` +
        `fuzz: ${phase} failures by cause\n${[...bySignature]
          .map(
            ([signature, keys]) =>
              `  ${oneLine(signature, 300)}\n${keys.map((k) => `      ${k}`).join('\n')}`,
          )
          .join('\n')}`,
    );
  };

  beforeAll(async () => {
    // Failed authentications are the point here: without this, 60 a minute turn everything into 429.
    t = await startApp({ AUTH_FAILURE_LIMIT: '1000000', RATE_LIMIT_DEFAULT: '100000000/3600' });
    acme = await createTenant(t);
    globex = await createTenant(t);
    console.log(`fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays it)`);

    const apiKey = async (tenant: TenantFixture, body: Record<string, unknown>) => {
      const res = await tenant.owner.post('/api/v1/api-keys', {
        name: 'fuzz',
        scopes: ['api-keys:read'],
        ...body,
      });
      if (res.status !== 201) throw new Error(`creating a key answered ${res.status}: ${res.text}`);
      return res.body as { id: string; key: string };
    };
    const userToken = async (tenant: TenantFixture) => {
      const res = await tenant.owner.post('/api/v1/users/me/tokens', { name: 'fuzz' });
      if (res.status !== 201) throw new Error(`creating a token answered ${res.status}: ${res.text}`);
      return res.body as { id: string; token: string };
    };

    ctx.own.push(
      real('owner user token', acme.token),
      real('workspace key A', await issueWorkspaceKey(t, acme, acme.workspaceId, ['api-keys:read'])),
      real('workspace key B', await issueWorkspaceKey(t, acme, acme.workspaceId, ['api-keys:read'])),
      real('test key', (await apiKey(acme, { environment: 'test' })).key),
      real('user token', (await userToken(acme)).token),
    );
    ctx.foreign.push(
      real('foreign owner token', globex.token),
      real(
        'foreign workspace key',
        await issueWorkspaceKey(t, globex, globex.workspaceId, ['api-keys:read']),
      ),
      real('foreign test key', (await apiKey(globex, { environment: 'test' })).key),
    );
    const revoked = await apiKey(acme, {});
    expect((await acme.owner.post(`/api/v1/api-keys/${revoked.id}/revoke`)).status).toBe(200);
    const deleted = await apiKey(acme, {});
    expect((await acme.owner.delete(`/api/v1/api-keys/${deleted.id}`)).status).toBe(204);
    const revokedToken = await userToken(acme);
    expect((await acme.owner.delete(`/api/v1/users/me/tokens/${revokedToken.id}`)).status).toBe(204);
    ctx.revoked.push(
      real('revoked key', revoked.key),
      real('deleted key', deleted.key),
      real('deleted token', revokedToken.token),
    );

    // Targets of the body pass (its own, so that fuzzing them cannot break the credentials above).
    const patchKey = await apiKey(acme, {});
    const rotateKey = await apiKey(acme, {});
    const sacrificial = await apiKey(acme, {});
    issued.add(patchKey.key).add(rotateKey.key).add(sacrificial.key);
    const user = await createUser(t, acme);
    issued.add(user.token);
    const workspace = await acme.owner.post('/api/v1/workspaces', { name: 'fuzz target' });
    const role = await acme.owner.post('/api/v1/roles', {
      name: 'fuzz-target',
      permissions: ['invoices:read'],
    });
    const member = await createUser(t, acme, { role: 'viewer' });
    issued.add(member.token);
    const foreignKey = await apiKey(globex, {});
    const foreignUser = await createUser(t, globex);
    issued.add(foreignKey.key).add(foreignUser.token);
    for (const res of [workspace, role])
      if (res.status !== 201) throw new Error(`fixture answered ${res.status}: ${res.text}`);

    const fixed = new Rng(SEED).fork('body keys');
    const forgedForBodies = [
      forgeKey(
        'sk_live',
        fixed.chars('ABCDEFGHIJKLMNOP0123456789', 16),
        fixed.chars('abcdefghijklmnopqrstuvwxyz0123456789', 32),
      ),
      forgeKey('ut', splitKey(acme.token)!.keyId, fixed.chars('abcdefghijklmnopqrstuvwxyz0123456789', 32)),
    ];
    for (const key of forgedForBodies) forged.add(key);
    bodyCtx = {
      bodyLimit: BODY_LIMIT,
      keys: [
        ctx.own[1].key,
        ctx.own[4].key,
        ctx.foreign[1].key,
        ctx.revoked[0].key,
        sacrificial.key,
        ...forgedForBodies,
        `${ctx.own[1].key}x`,
      ],
      foreignIds: [foreignKey.id, foreignUser.id, globex.workspaceId, globex.ownerId],
    };
    const j = (v: unknown) => JSON.stringify(v);
    const keyFields = {
      name: 'string',
      scopes: 'scope[]',
      expires_at: 'iso',
      ip_allowlist: 'ip[]',
      rate_limit_tier: 'tier',
      rate_limit: 'rate_limit',
    } as const;
    routes = [
      {
        method: 'POST',
        path: '/api/v1/auth/login',
        authenticated: false,
        fields: { email: 'email', password: 'password', device_name: 'string' },
        valid: {
          email: j(`owner@${acme.slug}.test`),
          password: j('owner-password-1'),
          device_name: j('fuzz'),
        },
      },
      {
        method: 'POST',
        path: '/api/v1/api-keys',
        authenticated: true,
        fields: { ...keyFields, environment: 'env' },
        valid: { name: j('fuzz'), scopes: j(['api-keys:read']) },
      },
      {
        method: 'PATCH',
        path: `/api/v1/api-keys/${patchKey.id}`,
        authenticated: true,
        fields: keyFields,
        valid: { name: j('fuzz patched') },
      },
      {
        method: 'POST',
        path: `/api/v1/api-keys/${rotateKey.id}/rotate`,
        authenticated: true,
        fields: { grace_period_seconds: 'int' },
        valid: { grace_period_seconds: '60' },
      },
      {
        method: 'POST',
        path: '/api/v1/api-keys/revoke',
        authenticated: true,
        fields: { key: 'key' },
        valid: { key: j(forgedForBodies[0]) },
      },
      {
        method: 'POST',
        path: '/api/v1/keys/verify',
        authenticated: true,
        fields: { key: 'key', scopes: 'scope[]', ip: 'ip' },
        valid: { key: j(ctx.own[1].key), scopes: j(['api-keys:read']), ip: j('127.0.0.1') },
      },
      {
        method: 'POST',
        path: '/api/v1/users',
        authenticated: true,
        fields: { email: 'email', password: 'password', name: 'string', tenant_role: 'role' },
        valid: { email: j(`fuzz@${acme.slug}.test`), password: j('fuzz-password-1'), name: j('Fuzz') },
      },
      {
        method: 'PATCH',
        path: `/api/v1/users/${user.id}`,
        authenticated: true,
        fields: { email: 'email', password: 'password', name: 'string', tenant_role: 'role' },
        valid: { name: j('Fuzzed') },
      },
      {
        method: 'POST',
        path: '/api/v1/workspaces',
        authenticated: true,
        fields: { name: 'string' },
        valid: { name: j('fuzz ws') },
      },
      {
        method: 'PATCH',
        path: `/api/v1/workspaces/${workspace.body.id}`,
        authenticated: true,
        fields: { name: 'string' },
        valid: { name: j('fuzz ws renamed') },
      },
      {
        method: 'POST',
        path: `/api/v1/workspaces/${acme.workspaceId}/members`,
        authenticated: true,
        fields: { user_id: 'id', role: 'role' },
        valid: { user_id: j(user.id), role: j('viewer') },
      },
      {
        method: 'PATCH',
        path: `/api/v1/workspaces/${acme.workspaceId}/members/${member.id}`,
        authenticated: true,
        fields: { role: 'role' },
        valid: { role: j('viewer') },
      },
      {
        method: 'POST',
        path: '/api/v1/roles',
        authenticated: true,
        fields: { name: 'role', description: 'string', permissions: 'scope[]' },
        valid: { name: j('fuzz-role'), permissions: j(['invoices:read']) },
      },
      {
        method: 'PATCH',
        path: `/api/v1/roles/${role.body.id}`,
        authenticated: true,
        fields: { name: 'role', description: 'string', permissions: 'scope[]' },
        valid: { description: j('fuzzed') },
      },
      {
        method: 'POST',
        path: '/api/v1/scopes',
        authenticated: true,
        fields: { name: 'scope', description: 'string' },
        valid: { name: j('fuzz:thing'), description: j('x') },
      },
      {
        method: 'POST',
        path: '/api/v1/users/me/tokens',
        authenticated: true,
        fields: { name: 'string', abilities: 'scope[]', expires_at: 'iso' },
        valid: { name: j('fuzz') },
      },
      {
        method: 'PUT',
        path: '/api/v1/users/me/current-workspace',
        authenticated: true,
        fields: { workspace_id: 'id' },
        valid: { workspace_id: j(acme.workspaceId) },
      },
      {
        method: 'POST',
        path: '/api/v1/invoices',
        authenticated: true,
        fields: { customer: 'string', amount: 'int' },
        valid: { customer: j('fuzz'), amount: '1' },
      },
    ];
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('answers 10,000 generated credentials with < 500, and every 401 with exactly {"message":"Unauthenticated."}', async () => {
    const { cases, skipped } = credentialCases(new Rng(SEED).fork('credentials'), ctx, CREDENTIAL_CASES);
    for (const c of cases) {
      for (const match of c.value.match(KEY_ANYWHERE) ?? [])
        if (isWellFormed(match) && !issued.has(match)) forged.add(match);
    }
    const tally = new Map<number | string, number>();
    let sent = 0;
    let unsendable = 0;
    const started = Date.now();
    await pool(cases, CONCURRENCY, async (c: CredentialCase) => {
      const request: Request = {
        method: 'GET',
        path: c.path,
        host: c.host === 'own' ? acme.host : globex.host,
        headers: c.headers,
        fresh: c.headerBytes > NODE_MAX_HEADER_BYTES,
      };
      const res = await send(t.port, request);
      if (res.error === 'ERR_INVALID_CHAR' || res.error === 'ERR_INVALID_HTTP_TOKEN') {
        unsendable++;
        return;
      }
      sent++;
      tally.set(res.status || `error ${res.error}`, (tally.get(res.status || `error ${res.error}`) ?? 0) + 1);
      harvest(res.text);
      const allowed =
        c.auth === 'must' ? [200] : c.auth === 'may' ? [200, 400, 401, 403, 429] : [400, 401, 403, 429];
      if (c.headerBytes > NODE_MAX_HEADER_BYTES) allowed.push(431);
      const problems: string[] = [];
      if (res.status === 0) problems.push(`no response (${res.error})`);
      else if (res.status >= 500) problems.push(`${res.status} server error`);
      else if (!allowed.includes(res.status))
        problems.push(`${res.status} where ${c.auth} authenticate (allowed ${allowed.join('/')})`);
      if (res.status === 401 && !isDeepStrictEqual(res.body, UNAUTHENTICATED))
        problems.push(`401 body is not {"message":"Unauthenticated."}`);
      for (const problem of problems)
        fail(`credentials | GET ${c.path} | ${c.cls} | ${problem}`, request, res);
    });
    // The same seed gives the same sequence of shapes (the digest), only the issued keys differ.
    const digest = crc32Ascii(cases.map((c) => `${c.cls}/${c.auth}/${c.path}/${c.host}`).join('\n')).toString(
      16,
    );
    console.log(
      `fuzz: ${sent} credential values sent, statuses ${formatTally(tally)} ` +
        `(${skipped + unsendable} refused by Node's http client and skipped; cases digest ${digest}; ${Date.now() - started} ms, seed ${SEED})`,
    );
    // A client whose credential header is too large gets 431: its keep-alive connection must then
    // still answer (or be closed with Connection: close), not reset the next request sent on it.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const probe: Request = {
      method: 'GET',
      path: '/api/v1/auth/me',
      host: acme.host,
      headers: { 'x-api-key': 'x'.repeat(20_000) },
    };
    const oversize = await send(t.port, probe, agent);
    const next = await send(t.port, { ...probe, headers: { 'x-api-key': 'sk_live_short' } }, agent);
    agent.destroy();
    if (next.status === 0) {
      fail(
        `credentials | GET /api/v1/auth/me | keep-alive request after a ${oversize.status} | no response (${next.error})`,
        probe,
        next,
      );
    }
    const explained = await explain('credentials');
    report('credential', explained);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(tally.get(401) ?? 0).toBeGreaterThan(sent / 2);
    expect(tally.get(200) ?? 0).toBeGreaterThan(0);
    expect(explained.map((e) => e.key)).toEqual([]);
  }, 120_000);

  it('answers 2,000+ malformed and hostile JSON bodies with < 500 and a JSON error with a string message', async () => {
    const rng = new Rng(SEED).fork('bodies');
    // Forked by the route's name without its ids (random per run), so a seed replays the same cases.
    const cases: BodyCase[] = routes.flatMap((route) =>
      bodyCases(rng.fork(routeName(route)), route, bodyCtx),
    );
    const tally = new Map<number | string, number>();
    let sent = 0;
    const started = Date.now();
    await pool(cases, CONCURRENCY, async (c: BodyCase) => {
      const request: Request = {
        method: c.route.method,
        path: c.route.path,
        host: acme.host,
        headers: {},
        body: c.body,
        contentType: c.contentType,
        token: c.route.authenticated ? acme.token : null,
      };
      const res = await send(t.port, request);
      sent++;
      tally.set(res.status || `error ${res.error}`, (tally.get(res.status || `error ${res.error}`) ?? 0) + 1);
      harvest(res.text);
      const problems: string[] = [];
      if (res.status === 0) problems.push(`no response (${res.error})`);
      else if (res.status >= 500) problems.push(`${res.status} server error`);
      if (res.status >= 400) {
        const body = res.body as { message?: unknown } | undefined;
        if (
          !isJson(res.text) ||
          typeof body !== 'object' ||
          body === null ||
          typeof body.message !== 'string'
        ) {
          problems.push(`${res.status} without a JSON body with a string message`);
        }
      } else if (res.status >= 200 && res.text !== '' && !isJson(res.text)) {
        problems.push(`${res.status} with a body that is not JSON`);
      }
      for (const problem of problems)
        fail(`bodies | ${routeName(c.route)} | ${c.cls} | ${problem}`, request, res);
    });
    const digest = crc32Ascii(cases.map((c) => `${c.route.method} ${c.cls}`).join('\n')).toString(16);
    console.log(
      `fuzz: ${sent} bodies sent, statuses ${formatTally(tally)} (${routes.length} routes; cases digest ${digest}; ${Date.now() - started} ms, seed ${SEED})`,
    );
    const explained = await explain('bodies');
    report('body', explained);
    expect(sent).toBeGreaterThanOrEqual(2_000);
    expect(explained.map((e) => e.key)).toEqual([]);
  }, 120_000);

  it('logs no key, token or well-formed made-up key', () => {
    const log = t.logger.text();
    expect(issued.size).toBeGreaterThan(10);
    expect(forged.size).toBeGreaterThan(1_000);
    // The secret part (secret + checksum, 38 base62 characters) of every key, looked up in every
    // run of 38+ base62 characters of the log: one pass, whatever the number of keys.
    // And the Basic form of each (base64 of `key:`, without its padding), as it was sent.
    const secrets = new Map<string, string>();
    const basic = new Map<string, string>();
    for (const [keys, kind] of [
      [issued, 'issued'],
      [forged, 'made-up'],
    ] as const) {
      for (const key of keys) {
        secrets.set(key.slice(-SECRET_TAIL_LENGTH), kind);
        basic.set(Buffer.from(`${key}:`).toString('base64').replace(/=+$/, ''), `${kind} (Basic)`);
      }
    }
    const scan = (text: string) => {
      const found: Record<string, number> = {};
      for (const [pattern, table] of [
        [/[0-9A-Za-z]{38,}/g, secrets],
        [/[0-9A-Za-z+/]{38,}/g, basic],
      ] as const) {
        const widths = [...new Set([...table.keys()].map((k) => k.length))];
        for (const run of text.match(pattern) ?? []) {
          for (const width of widths) {
            for (let i = 0; i + width <= run.length; i++) {
              const kind = table.get(run.slice(i, i + width));
              if (kind) found[kind] = (found[kind] ?? 0) + 1;
            }
          }
        }
      }
      return found;
    };
    // The scan itself finds what it looks for (an issued key and a made-up one inside log lines).
    const [anIssued, aForged] = [[...issued][0], [...forged][0]];
    expect(
      scan(`WARN x key=${anIssued} y\nLOG ${aForged} Basic ${Buffer.from(`${aForged}:`).toString('base64')}`),
    ).toEqual({
      issued: 1,
      'made-up': 1,
      'made-up (Basic)': 1,
    });
    // Beyond what is safe to show (type, environment, key id), not even a character of the secret.
    const keyShaped = (log.match(/(?:sk_live|sk_test|ut|kgp)_[0-9A-Za-z]{16}_[0-9A-Za-z]/g) ?? []).slice(
      0,
      5,
    );
    const errors = new Map<string, number>();
    for (const line of t.logger.lines) {
      if (!line.startsWith('ERROR') && !line.startsWith('FATAL')) continue;
      const first = oneLine(line.split('\n')[0], 200);
      errors.set(first, (errors.get(first) ?? 0) + 1);
    }
    console.log(
      `fuzz: log of ${t.logger.lines.length} lines checked against ${issued.size} issued and ${forged.size} made-up keys; ` +
        `${errors.size} distinct ERROR lines${[...errors].map(([l, n]) => `\n  x${n} ${l}`).join('')}`,
    );
    expect(scan(log)).toEqual({});
    expect(keyShaped).toEqual([]);
  });
});
