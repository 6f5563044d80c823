import { holdsAll, later, mayShapeKey, ModelUser, sameBudget } from './support/authorization-oracle';
import {
  AuthorizationWorld,
  KeyTarget,
  LiveActor,
  MODEL_ENV,
  BUDGETS,
  UserTarget,
} from './support/authorization-world';
import { Reply } from './support/http';
import { onMysql, startApp, TestApp } from './support/test-app';
import { createUser } from './support/users';

/**
 * Model-based: every actor × operation × target, over real HTTP, against the oracle in
 * support/authorization-oracle.ts (the rule of product.md restated, no implementation code).
 * After every refusal the database must be exactly as before: no row added, removed or changed.
 */
type Expected = 'allow' | 403 | 404 | 422;

const HOUR = 3600_000;
const FAR = Date.parse('2035-01-01T00:00:00Z');
/** The default budget's rate (500,000 an hour), as one 31-day window: same rate, a far bigger burst. */
const MONTH = { limit: 500_000 * 24 * 31, window_seconds: 31 * 86400 };

describe('authorization, model-based: actors × operations × targets against an independent oracle', () => {
  let t: TestApp;
  let m: AuthorizationWorld;
  const tally = { cases: 0, allowed: 0, refused: 0 };
  const failures: string[] = [];

  beforeAll(async () => {
    t = await startApp(MODEL_ENV);
    m = new AuthorizationWorld(t);
    await m.build();
  }, 120_000);

  afterAll(async () => {
    console.log(
      `authorization model (${onMysql ? 'MariaDB' : 'SQLite'}): ${tally.cases} cases, ${tally.allowed} allowed, ` +
        `${tally.refused} refused, ${disagreements} disagreeing with the oracle`,
    );
    await t?.close();
  });

  /** One case: the answer must match the oracle, and a refusal must leave every row as it was. */
  async function check(
    label: string,
    expected: Expected,
    touched: string[],
    send: () => Promise<Reply>,
  ): Promise<void> {
    const before = await m.snapshot(touched);
    const res = await send();
    tally.cases++;
    const allowed = res.status >= 200 && res.status < 300;
    if (allowed) tally.allowed++;
    else tally.refused++;
    if (expected === 'allow' ? !allowed : res.status !== expected) {
      failures.push(`${label}: expected ${expected}, got ${res.status} ${res.text.slice(0, 160)}`);
    }
    if (res.status >= 500) failures.push(`${label}: ${res.status}`);
    if (!allowed && (await m.snapshot(touched)) !== before)
      failures.push(`${label}: refused with ${res.status} but the database changed`);
  }

  let disagreements = 0;
  /** Each test answers for its own cases (the first 25 disagreements shown). */
  function expectNoFailures(): void {
    const found = failures.splice(0);
    disagreements += found.length;
    expect(found.slice(0, 25)).toEqual([]);
  }

  /** Refusals reuse one target per kind; an expected success gets a fresh one, since it changes it. */
  function targets<T>(make: () => Promise<T>) {
    let shared: Promise<T> | null = null;
    return (fresh: boolean) => (fresh ? make() : (shared ??= make()));
  }

  const send = (actor: LiveActor, method: string, path: string, body?: unknown) =>
    actor.client.send(method, path, { headers: actor.headers, ...(body === undefined ? {} : { body }) });

  const routeAllows = (actor: LiveActor, scope: string) => m.world.holds(actor, actor.workspace, [scope]);

  describe('workspace keys', () => {
    it('rotate, change each field, revoke and delete: only what the caller holds, where the key lives', async () => {
      const specs: [string, Parameters<AuthorizationWorld['key']>[0]][] = [
        [
          'a weaker key in W1',
          {
            tenant: 'acme',
            workspace: m.w1,
            environment: 'live',
            scopes: ['invoices:read'],
            expiresAt: null,
          },
        ],
        [
          'an api-keys:* key in W1',
          { tenant: 'acme', workspace: m.w1, environment: 'live', scopes: ['api-keys:*'], expiresAt: null },
        ],
        [
          'a * key in W1',
          { tenant: 'acme', workspace: m.w1, environment: 'live', scopes: ['*'], expiresAt: null },
        ],
        [
          'a test key in W1',
          {
            tenant: 'acme',
            workspace: m.w1,
            environment: 'test',
            scopes: ['invoices:read'],
            expiresAt: null,
          },
        ],
        [
          'an enterprise-tier key in W1',
          {
            tenant: 'acme',
            workspace: m.w1,
            environment: 'live',
            scopes: ['invoices:read'],
            expiresAt: null,
            tier: 'enterprise',
          },
        ],
        [
          'a key in W1 expiring in 30 minutes',
          {
            tenant: 'acme',
            workspace: m.w1,
            environment: 'live',
            scopes: ['invoices:read'],
            expiresAt: Date.now() + HOUR / 2,
          },
        ],
        [
          'a key in W1 allowed from 127.0.0.1 only',
          {
            tenant: 'acme',
            workspace: m.w1,
            environment: 'live',
            scopes: ['invoices:read'],
            expiresAt: null,
            allowlist: ['127.0.0.1'],
          },
        ],
        [
          'a key in W2',
          {
            tenant: 'acme',
            workspace: m.w2,
            environment: 'live',
            scopes: ['invoices:read'],
            expiresAt: null,
          },
        ],
        [
          "the other tenant's key",
          {
            tenant: 'other',
            workspace: m.otherWorkspace,
            environment: 'live',
            scopes: ['invoices:read'],
            expiresAt: null,
          },
        ],
      ];
      type Op = {
        name: string;
        scope: string;
        method: string;
        path: (id: string) => string;
        body?: unknown;
        after?: (k: KeyTarget) => KeyTarget;
        issues?: boolean;
      };
      const ops: Op[] = [
        {
          name: 'rotate',
          scope: 'api-keys:update',
          method: 'POST',
          path: (id) => `/api/v1/api-keys/${id}/rotate`,
          body: {},
          after: (k) => k,
          issues: true,
        },
        {
          name: 'rename',
          scope: 'api-keys:update',
          method: 'PATCH',
          path: (id) => `/api/v1/api-keys/${id}`,
          body: { name: 'renamed' },
          after: (k) => k,
        },
        {
          name: 'narrow scopes',
          scope: 'api-keys:update',
          method: 'PATCH',
          path: (id) => `/api/v1/api-keys/${id}`,
          body: { scopes: ['invoices:read'] },
          after: (k) => ({ ...k, scopes: ['invoices:read'] }),
        },
        {
          name: 'widen scopes to *',
          scope: 'api-keys:update',
          method: 'PATCH',
          path: (id) => `/api/v1/api-keys/${id}`,
          body: { scopes: ['*'] },
          after: (k) => ({ ...k, scopes: ['*'] }),
        },
        {
          name: 'clear the allowlist',
          scope: 'api-keys:update',
          method: 'PATCH',
          path: (id) => `/api/v1/api-keys/${id}`,
          body: { ip_allowlist: [] },
          after: (k) => ({ ...k, allowlist: [] }),
        },
        {
          name: 'allow it from 127.0.0.2 only',
          scope: 'api-keys:update',
          method: 'PATCH',
          path: (id) => `/api/v1/api-keys/${id}`,
          body: { ip_allowlist: ['127.0.0.2'] },
          after: (k) => ({ ...k, allowlist: ['127.0.0.2'] }),
        },
        {
          name: 'remove the expiry',
          scope: 'api-keys:update',
          method: 'PATCH',
          path: (id) => `/api/v1/api-keys/${id}`,
          body: { expires_at: null },
          after: (k) => ({ ...k, expiresAt: null }),
        },
        {
          name: 'expire in 2035',
          scope: 'api-keys:update',
          method: 'PATCH',
          path: (id) => `/api/v1/api-keys/${id}`,
          body: { expires_at: '2035-01-01T00:00:00Z' },
          after: (k) => ({ ...k, expiresAt: FAR }),
        },
        {
          name: 'raise the tier to enterprise',
          scope: 'api-keys:update',
          method: 'PATCH',
          path: (id) => `/api/v1/api-keys/${id}`,
          body: { rate_limit_tier: 'enterprise' },
          after: (k) => ({ ...k, budget: BUDGETS.enterprise }),
        },
        {
          name: 'a 10M-a-minute budget',
          scope: 'api-keys:update',
          method: 'PATCH',
          path: (id) => `/api/v1/api-keys/${id}`,
          body: { rate_limit: { limit: 10_000_000, window_seconds: 60 } },
          after: (k) => ({ ...k, budget: { limit: 10_000_000, window: 60 } }),
        },
        {
          name: 'the default rate as one 31-day burst',
          scope: 'api-keys:update',
          method: 'PATCH',
          path: (id) => `/api/v1/api-keys/${id}`,
          body: { rate_limit: MONTH },
          after: (k) => ({ ...k, budget: { limit: MONTH.limit, window: MONTH.window_seconds } }),
        },
        {
          name: 'revoke',
          scope: 'api-keys:update',
          method: 'POST',
          path: (id) => `/api/v1/api-keys/${id}/revoke`,
          body: {},
        },
        {
          name: 'delete',
          scope: 'api-keys:delete',
          method: 'DELETE',
          path: (id) => `/api/v1/api-keys/${id}`,
        },
      ];
      const oracle = (actor: LiveActor, op: Op, key: KeyTarget): Expected => {
        if (!routeAllows(actor, op.scope)) return 403;
        if (key.tenant !== 'acme' || key.workspace !== actor.workspace) return 404;
        if (actor.environment === 'test' && key.environment !== 'test') return 403;
        if (!op.after) return 'allow';
        return mayShapeKey(m.world, actor, op.issues ? null : key, op.after(key)) ? 'allow' : 403;
      };
      for (const [targetName, spec] of specs) {
        const target = targets(() => m.key(spec));
        for (const op of ops) {
          for (const actor of m.actors) {
            const shape = await target(false);
            const expected = oracle(actor, op, shape);
            const key = await target(expected === 'allow');
            await check(`${actor.name} / ${op.name} / ${targetName}`, expected, [key.id], () =>
              send(actor, op.method, op.path(key.id), op.body),
            );
          }
        }
      }
      expectNoFailures();
    }, 600_000);

    it('create: no scope, environment, tier, budget or lifetime beyond the caller', async () => {
      const bodies: [string, Record<string, unknown>][] = [
        ['invoices:read', { scopes: ['invoices:read'] }],
        ['api-keys:*', { scopes: ['api-keys:*'] }],
        ['*', { scopes: ['*'] }],
        ['a test key', { scopes: ['invoices:read'], environment: 'test' }],
        ['an explicit live key', { scopes: ['invoices:read'], environment: 'live' }],
        ['the enterprise tier', { scopes: ['invoices:read'], rate_limit_tier: 'enterprise' }],
        ['the free tier', { scopes: ['invoices:read'], rate_limit_tier: 'free' }],
        ['an expiry in 2035', { scopes: ['invoices:read'], expires_at: '2035-01-01T00:00:00Z' }],
        [
          'a 10M-a-minute budget',
          { scopes: ['invoices:read'], rate_limit: { limit: 10_000_000, window_seconds: 60 } },
        ],
        ['no allowlist', { scopes: ['invoices:read'], ip_allowlist: [] }],
        ['an allowlist of 127.0.0.2', { scopes: ['invoices:read'], ip_allowlist: ['127.0.0.2'] }],
        ['the default rate as one 31-day burst', { scopes: ['invoices:read'], rate_limit: MONTH }],
      ];
      for (const [name, body] of bodies) {
        for (const actor of m.actors) {
          let expected: Expected = 'allow';
          const asksBudget = body.rate_limit_tier !== undefined || body.rate_limit !== undefined;
          if (!routeAllows(actor, 'api-keys:create')) expected = 403;
          else {
            const tier = body.rate_limit_tier as string | undefined;
            const budget = body.rate_limit as { limit: number; window_seconds: number } | undefined;
            const next = {
              workspace: actor.workspace,
              environment: (body.environment as 'live' | 'test' | undefined) ?? actor.environment,
              scopes: body.scopes as string[],
              // Omitted, a new key inherits the caller's end (a short-lived token makes no permanent key).
              expiresAt: body.expires_at ? FAR : actor.expiresAt,
              // A key made by a key has the maker's budget (asking for another is 422, below).
              budget:
                actor.kind === 'workspace_key'
                  ? actor.budget
                  : budget
                    ? { limit: budget.limit, window: budget.window_seconds }
                    : BUDGETS[tier ?? 'default'],
              // Omitted, a new key is confined to the caller's addresses.
              allowlist: (body.ip_allowlist as string[] | undefined) ?? actor.allowlist,
            };
            const asked = budget
              ? { limit: budget.limit, window: budget.window_seconds }
              : BUDGETS[tier ?? 'default'];
            if (actor.kind === 'workspace_key' && asksBudget && !sameBudget(asked, actor.budget))
              expected = 422;
            else if (!mayShapeKey(m.world, actor, null, next)) expected = 403;
          }
          await check(`${actor.name} / create a key with ${name}`, expected, [], () =>
            send(actor, 'POST', '/api/v1/api-keys', { name: 'model', ...body }),
          );
        }
      }
      expectNoFailures();
    }, 300_000);
  });

  it('user tokens: a token mints only what it holds, and never outlives its parent', async () => {
    const bodies: [string, Record<string, unknown>][] = [
      ['abilities *', {}],
      ['abilities invoices:read', { abilities: ['invoices:read'] }],
      ['abilities api-keys:* and users:*', { abilities: ['api-keys:*', 'users:*'] }],
      ['an expiry in 2035', { abilities: ['invoices:read'], expires_at: '2035-01-01T00:00:00Z' }],
    ];
    for (const [name, body] of bodies) {
      for (const actor of m.actors) {
        let expected: Expected = 'allow';
        const abilities = (body.abilities as string[] | undefined) ?? ['*'];
        if (actor.kind !== 'user_token') expected = 403;
        else if (!holdsAll(actor.scopes, abilities)) expected = 403;
        else if (body.expires_at && later(FAR, actor.expiresAt)) expected = 403;
        await check(`${actor.name} / mint a token with ${name}`, expected, [], () =>
          send(actor, 'POST', '/api/v1/users/me/tokens', { name: 'model', ...body }),
        );
      }
    }
    expectNoFailures();
  }, 300_000);

  describe('users', () => {
    it('edit, deactivate, re-role and delete: all the user holds, wherever the user reaches', async () => {
      const make =
        (tenantRole: string | null, memberships: [string, string][]) => async (): Promise<UserTarget> => ({
          ...(await m.user(tenantRole, memberships)),
          tenant: 'acme',
        });
      const owner = m.users.get(m.acme.ownerId)!;
      const specs: [string, () => Promise<UserTarget>][] = [
        ['a viewer in W1', make(null, [[m.w1, 'viewer']])],
        ['an admin in W1', make(null, [[m.w1, 'admin']])],
        ['an owner of W2 only', make(null, [[m.w2, 'owner']])],
        [
          'a member in W1 and admin in W2',
          make(null, [
            [m.w1, 'member'],
            [m.w2, 'admin'],
          ]),
        ],
        ['a tenant-wide viewer', make('viewer', [])],
        ['a user in no workspace', make(null, [])],
        ['the tenant owner', async () => ({ ...owner, tenant: 'acme' })],
        [
          "the other tenant's user",
          async () => ({
            id: (await createUser(t, m.other)).id,
            tenantRole: null,
            memberships: new Map(),
            tenant: 'other',
          }),
        ],
      ];
      type Op = {
        name: string;
        scope: string;
        method: string;
        path: (id: string) => string;
        body?: () => unknown;
        selfGuarded?: boolean;
        tenantRole?: string | null;
        setsPassword?: boolean;
        changesIdentity?: boolean;
      };
      const ops: Op[] = [
        {
          name: 'change the email',
          scope: 'users:update',
          method: 'PATCH',
          path: (id) => `/api/v1/users/${id}`,
          body: () => ({ email: m.nextEmail() }),
          changesIdentity: true,
        },
        {
          name: 'change the password',
          scope: 'users:update',
          method: 'PATCH',
          path: (id) => `/api/v1/users/${id}`,
          body: () => ({ password: 'another-password-1' }),
          setsPassword: true,
          changesIdentity: true,
        },
        {
          name: 'rename',
          scope: 'users:update',
          method: 'PATCH',
          path: (id) => `/api/v1/users/${id}`,
          body: () => ({ name: 'Renamed' }),
        },
        {
          name: 'deactivate',
          scope: 'users:update',
          method: 'POST',
          path: (id) => `/api/v1/users/${id}/deactivate`,
          body: () => ({}),
          selfGuarded: true,
        },
        {
          name: 'give tenant role viewer',
          scope: 'users:update',
          method: 'PATCH',
          path: (id) => `/api/v1/users/${id}`,
          body: () => ({ tenant_role: 'viewer' }),
          selfGuarded: true,
          tenantRole: 'viewer',
        },
        {
          name: 'give tenant role admin',
          scope: 'users:update',
          method: 'PATCH',
          path: (id) => `/api/v1/users/${id}`,
          body: () => ({ tenant_role: 'admin' }),
          selfGuarded: true,
          tenantRole: 'admin',
        },
        {
          name: 'give tenant role owner',
          scope: 'users:update',
          method: 'PATCH',
          path: (id) => `/api/v1/users/${id}`,
          body: () => ({ tenant_role: 'owner' }),
          selfGuarded: true,
          tenantRole: 'owner',
        },
        {
          name: 'remove the tenant role',
          scope: 'users:update',
          method: 'PATCH',
          path: (id) => `/api/v1/users/${id}`,
          body: () => ({ tenant_role: null }),
          selfGuarded: true,
          tenantRole: null,
        },
        {
          name: 'delete',
          scope: 'users:delete',
          method: 'DELETE',
          path: (id) => `/api/v1/users/${id}`,
          selfGuarded: true,
        },
      ];
      const oracle = (actor: LiveActor, op: Op, user: UserTarget): Expected => {
        if (!routeAllows(actor, op.scope)) return 403;
        if (user.tenant !== 'acme') return 404;
        if (op.selfGuarded && actor.user?.id === user.id) return 422;
        return m.world.mayManageUser(actor, user, op.tenantRole ?? null, {
          scope: op.scope,
          setsPassword: op.setsPassword,
          changesIdentity: op.changesIdentity,
        })
          ? 'allow'
          : 403;
      };
      for (const [targetName, make] of specs) {
        const target = targets(make);
        for (const op of ops) {
          for (const actor of m.actors) {
            const expected = oracle(actor, op, await target(false));
            // The owner is one of a kind: never deleted or demoted here (only itself could, and that is 422).
            const user = await target(expected === 'allow' && targetName !== 'the tenant owner');
            await check(`${actor.name} / ${op.name} / ${targetName}`, expected, [user.id], () =>
              send(actor, op.method, op.path(user.id), op.body?.()),
            );
          }
        }
      }
      expectNoFailures();
    }, 600_000);

    it('create: a tenant-wide role only by who holds it in every workspace', async () => {
      for (const role of [null, 'viewer', 'admin', 'owner', 'keymaster']) {
        for (const actor of m.actors) {
          let expected: Expected = 'allow';
          if (!routeAllows(actor, 'users:create')) expected = 403;
          else if (
            !m.world.mayManageUser(actor, null, role, {
              scope: 'users:create',
              setsPassword: true,
            })
          )
            expected = 403;
          const body = {
            email: m.nextEmail(),
            password: 'a-good-password',
            name: 'Model',
            ...(role ? { tenant_role: role } : {}),
          };
          await check(`${actor.name} / create a user with tenant role ${role ?? 'none'}`, expected, [], () =>
            send(actor, 'POST', '/api/v1/users', body),
          );
        }
      }
      expectNoFailures();
    }, 300_000);
  });

  it('memberships: add, change and remove, checked in the workspace they change', async () => {
    const cases: {
      name: string;
      make: () => Promise<ModelUser & { tenant?: string }>;
      workspace: () => string;
      op: 'add' | 'change' | 'remove';
      role: string | null;
    }[] = [];
    const users: [string, string | null, [string, string][]][] = [
      ['a user in no workspace', null, []],
      ['a tenant-wide viewer', 'viewer', []],
      ['a viewer in W1', null, [[m.w1, 'viewer']]],
      ['an admin in W1', null, [[m.w1, 'admin']]],
      ['an owner of W2 only', null, [[m.w2, 'owner']]],
      [
        'a member in W1 and admin in W2',
        null,
        [
          [m.w1, 'member'],
          [m.w2, 'admin'],
        ],
      ],
    ];
    for (const [name, tenantRole, memberships] of users) {
      const make = () => m.user(tenantRole, memberships);
      for (const ws of [m.w1, m.w2]) {
        const current = memberships.find(([w]) => w === ws)?.[1];
        if (!current)
          for (const role of ['viewer', 'admin', 'owner'])
            cases.push({
              name: `add ${name} to ${ws === m.w1 ? 'W1' : 'W2'} as ${role}`,
              make,
              workspace: () => ws,
              op: 'add',
              role,
            });
        else {
          for (const role of ['viewer', 'admin'])
            if (role !== current)
              cases.push({
                name: `make ${name} ${role} in ${ws === m.w1 ? 'W1' : 'W2'}`,
                make,
                workspace: () => ws,
                op: 'change',
                role,
              });
          cases.push({
            name: `remove ${name} from ${ws === m.w1 ? 'W1' : 'W2'}`,
            make,
            workspace: () => ws,
            op: 'remove',
            role: null,
          });
        }
      }
    }
    cases.push({
      name: "add a user to the other tenant's workspace",
      make: async () => ({
        id: (await createUser(t, m.other)).id,
        tenantRole: null,
        memberships: new Map(),
        tenant: 'other',
      }),
      workspace: () => m.otherWorkspace,
      op: 'add',
      role: 'viewer',
    });
    for (const c of cases) {
      const target = targets(c.make);
      const ws = c.workspace();
      for (const actor of m.actors) {
        let expected: Expected = 'allow';
        if (!routeAllows(actor, 'workspaces:update')) expected = 403;
        else if (ws === m.otherWorkspace) expected = 404;
        else if (!m.world.holds(actor, ws, ['workspaces:update'])) expected = 403;
        else if (!m.world.mayChangeMembership(actor, await target(false), ws, c.role)) expected = 403;
        const user = await target(expected === 'allow');
        const path =
          c.op === 'add' ? `/api/v1/workspaces/${ws}/members` : `/api/v1/workspaces/${ws}/members/${user.id}`;
        const method = c.op === 'add' ? 'POST' : c.op === 'change' ? 'PATCH' : 'DELETE';
        const body =
          c.op === 'add'
            ? { user_id: user.id, role: c.role }
            : c.op === 'change'
              ? { role: c.role }
              : undefined;
        await check(`${actor.name} / ${c.name}`, expected, [user.id], () => send(actor, method, path, body));
      }
    }
    expectNoFailures();
  }, 600_000);

  it('roles: create, edit and delete, checked wherever the role is held', async () => {
    let n = 0;
    const role = (holders: 'W1' | 'W2' | 'tenant' | 'none') => async () => {
      const name = `model-role-${++n}`;
      const res = await m.acme.owner.post('/api/v1/roles', { name, permissions: ['invoices:read'] });
      if (res.status !== 201) throw new Error(`role: ${res.status} ${res.text}`);
      if (holders === 'W1') await m.user(null, [[m.w1, name]]);
      if (holders === 'W2') await m.user(null, [[m.w2, name]]);
      if (holders === 'tenant') await m.user(name, []);
      return { id: res.body.id as string, holders };
    };
    for (const permissions of [['invoices:read'], ['api-keys:*'], ['*']]) {
      for (const actor of m.actors) {
        let expected: Expected = 'allow';
        if (!routeAllows(actor, 'roles:create')) expected = 403;
        else if (actor.environment === 'test' || !m.world.holds(actor, actor.workspace, permissions))
          expected = 403;
        await check(`${actor.name} / create a role with ${permissions.join(' ')}`, expected, [], () =>
          send(actor, 'POST', '/api/v1/roles', { name: `model-new-${++n}`, permissions }),
        );
      }
    }
    const after = ['invoices:read', 'audit-logs:read'];
    for (const holders of ['W1', 'W2', 'tenant', 'none'] as const) {
      const target = targets(role(holders));
      for (const op of ['edit', 'delete'] as const) {
        if (op === 'delete' && holders !== 'none') continue;
        for (const actor of m.actors) {
          const reach: (string | null)[] = [actor.workspace];
          if (holders === 'W1') reach.push(m.w1);
          if (holders === 'W2') reach.push(m.w2);
          if (holders === 'tenant') reach.push(...m.world.everywhere());
          let expected: Expected = 'allow';
          if (!routeAllows(actor, op === 'edit' ? 'roles:update' : 'roles:delete')) expected = 403;
          else if (
            actor.environment === 'test' ||
            (op === 'edit' && holders !== 'none' && m.world.limited(actor)) ||
            !reach.every((ws) => m.world.holds(actor, ws, op === 'edit' ? after : ['invoices:read']))
          )
            expected = 403;
          const r = await target(expected === 'allow');
          await check(
            `${actor.name} / ${op} a role held ${holders === 'none' ? 'by nobody' : holders === 'tenant' ? 'tenant-wide' : `in ${holders}`}`,
            expected,
            [r.id],
            () =>
              op === 'edit'
                ? send(actor, 'PATCH', `/api/v1/roles/${r.id}`, { permissions: after })
                : send(actor, 'DELETE', `/api/v1/roles/${r.id}`),
          );
        }
      }
    }
    expectNoFailures();
  }, 600_000);

  it("verify: only credentials of the verifier's workspace, user tokens included, allowlists enforced", async () => {
    const viewer = await m.user(null, [[m.w1, 'viewer']]);
    const ownerW2 = await m.user(null, [[m.w2, 'owner']]);
    const targets: [string, string, (ws: string) => string][] = [
      [
        'a key in W1',
        await m.issue({ kind: 'workspace_key', workspaceId: m.w1, scopes: ['invoices:read'] }),
        (ws) => (ws === m.w1 ? 'VALID' : 'NOT_FOUND'),
      ],
      [
        'an allowlisted key in W1, no ip given',
        await m.issue({
          kind: 'workspace_key',
          workspaceId: m.w1,
          scopes: ['invoices:read'],
          ipAllowlist: ['10.0.0.0/8'],
        }),
        (ws) => (ws === m.w1 ? 'FORBIDDEN' : 'NOT_FOUND'),
      ],
      [
        'a key in W2',
        await m.issue({ kind: 'workspace_key', workspaceId: m.w2, scopes: ['invoices:read'] }),
        (ws) => (ws === m.w2 ? 'VALID' : 'NOT_FOUND'),
      ],
      [
        "the other tenant's key",
        await m.issue({
          kind: 'workspace_key',
          workspaceId: m.otherWorkspace,
          scopes: ['invoices:read'],
          tenant: m.other,
        }),
        () => 'NOT_FOUND',
      ],
      [
        'a token of a viewer in W1',
        await m.issue({ kind: 'user_token', workspaceId: null, userId: viewer.id, scopes: ['*'] }),
        (ws) => (ws === m.w1 ? 'VALID' : 'NOT_FOUND'),
      ],
      [
        'a token of an owner of W2 only',
        await m.issue({ kind: 'user_token', workspaceId: null, userId: ownerW2.id, scopes: ['*'] }),
        (ws) => (ws === m.w2 ? 'VALID' : 'NOT_FOUND'),
      ],
    ];
    for (const [name, key, code] of targets) {
      for (const actor of m.actors) {
        const allowed = routeAllows(actor, 'keys:verify');
        const res = await send(actor, 'POST', '/api/v1/keys/verify', { key });
        tally.cases++;
        if (allowed) tally.allowed++;
        else tally.refused++;
        const want = allowed ? code(actor.workspace) : 403;
        const got = res.status === 200 ? res.body.code : res.status;
        if (got !== want) failures.push(`${actor.name} / verify ${name}: expected ${want}, got ${got}`);
        if (got === 'NOT_FOUND' && (res.body.key_id !== null || res.body.scopes.length > 0))
          failures.push(`${actor.name} / verify ${name}: NOT_FOUND with metadata`);
      }
    }
    expectNoFailures();
  }, 300_000);
});
