import { DataSource } from 'typeorm';
import { KeyIssuer } from '../../src/api-keys/key-issuer';
import { Actor, Budget, ModelKey, ModelUser, World } from './authorization-oracle';
import { createTenant, TenantFixture } from './fixtures';
import { Client } from './http';
import type { TestApp } from './test-app';
import { addMember, asTenant, createUser, createWorkspace } from './users';

/** Budgets of the model app (RATE_LIMIT_DEFAULT and RATE_LIMIT_TIERS below), in requests a second. */
export const MODEL_ENV = {
  RATE_LIMIT_DEFAULT: '500000/3600',
  RATE_LIMIT_TIERS: 'free=100000/3600,pro=1000000/3600,enterprise=unlimited',
  AUTH_FAILURE_LIMIT: '1000000',
  LOG_LEVEL: 'warn',
};
export const BUDGETS: Record<string, Budget> = {
  default: { limit: 500000, window: 3600 },
  free: { limit: 100000, window: 3600 },
  pro: { limit: 1000000, window: 3600 },
  enterprise: { limit: null, window: 3600 },
};
const HOUR = 3600_000;

/** An actor as the oracle sees it, and how to call the API as it. */
export interface LiveActor extends Actor {
  client: Client;
  headers: Record<string, string>;
}

export interface KeyTarget extends ModelKey {
  id: string;
  tenant: 'acme' | 'other';
}

export interface UserTarget extends ModelUser {
  tenant: 'acme' | 'other';
}

/**
 * The tenant the model-based suite acts in: two workspaces, the built-in roles and two custom
 * ones, users in one or both workspaces with different roles, a tenant-wide role, and actors of
 * every kind (user tokens, narrowed tokens, short-lived ones; live, test, tiered and short-lived
 * workspace keys). Everything is made through the API or the issuer, never by the code under test
 * deciding who may.
 */
export class AuthorizationWorld {
  world!: World;
  acme!: TenantFixture;
  other!: TenantFixture;
  w1 = '';
  w2 = '';
  otherWorkspace = '';
  actors: LiveActor[] = [];
  users = new Map<string, ModelUser>();
  private counter = 0;

  constructor(readonly t: TestApp) {}

  async build(): Promise<void> {
    this.acme = await createTenant(this.t);
    this.other = await createTenant(this.t);
    this.w1 = this.acme.workspaceId;
    this.w2 = await createWorkspace(this.acme, 'W2');
    this.otherWorkspace = this.other.workspaceId;
    for (const [name, permissions] of [
      ['keymaster', ['api-keys:*', 'keys:verify']],
      ['auditor', ['audit-logs:read', 'invoices:read']],
    ] as const) {
      const res = await this.acme.owner.post('/api/v1/roles', { name, permissions });
      if (res.status !== 201) throw new Error(`role ${name}: ${res.status} ${res.text}`);
    }
    const roles = (await this.acme.owner.get('/api/v1/roles')).body.data as {
      name: string;
      permissions: string[];
    }[];
    this.world = new World(
      new Map(roles.map((r) => [r.name, r.permissions])),
      [this.w1, this.w2],
      BUDGETS.default,
    );
    this.users.set(this.acme.ownerId, {
      id: this.acme.ownerId,
      tenantRole: 'owner',
      memberships: new Map([[this.w1, 'owner']]),
    });
    await this.buildActors();
  }

  private async buildActors(): Promise<void> {
    const token = async (
      name: string,
      tenantRole: string | null,
      memberships: [string, string][],
      abilities = ['*'],
      expiresAt: number | null = null,
    ) => {
      const user = await this.user(tenantRole, memberships);
      const key = await this.issue({
        kind: 'user_token',
        userId: user.id,
        workspaceId: null,
        scopes: abilities,
        expiresAt,
      });
      this.actor(
        {
          name,
          kind: 'user_token',
          environment: 'live',
          scopes: abilities,
          user,
          workspace: memberships[0][0],
          expiresAt,
          budget: BUDGETS.default,
          allowlist: [],
        },
        key,
      );
      return { user, key };
    };
    const owner = this.users.get(this.acme.ownerId)!;
    this.actor(
      {
        name: 'owner token',
        kind: 'user_token',
        environment: 'live',
        scopes: ['*'],
        user: owner,
        workspace: this.w1,
        expiresAt: null,
        budget: BUDGETS.default,
        allowlist: [],
      },
      this.acme.token,
    );
    const admin = await token('workspace admin', null, [[this.w1, 'admin']]);
    await token('member', null, [[this.w1, 'member']]);
    await token('viewer', null, [[this.w1, 'viewer']]);
    await token('custom role (keymaster)', null, [[this.w1, 'keymaster']]);
    const split = await token('admin in W1, viewer in W2', null, [
      [this.w1, 'admin'],
      [this.w2, 'viewer'],
    ]);
    this.actor(
      {
        ...this.actors[this.actors.length - 1],
        name: 'admin in W1, viewer in W2, acting in W2',
        workspace: this.w2,
      },
      split.key,
      { 'x-workspace-id': this.w2 },
    );
    await token('tenant admin', 'admin', [[this.w1, 'viewer']]);
    const narrowed = ['api-keys:read', 'api-keys:update', 'users:update', 'workspaces:update'];
    const narrowKey = await this.issue({
      kind: 'user_token',
      userId: admin.user.id,
      workspaceId: null,
      scopes: narrowed,
      expiresAt: null,
    });
    this.actor(
      {
        name: 'admin token narrowed to a few abilities',
        kind: 'user_token',
        environment: 'live',
        scopes: narrowed,
        user: admin.user,
        workspace: this.w1,
        expiresAt: null,
        budget: BUDGETS.default,
        allowlist: [],
      },
      narrowKey,
    );
    await token('member token expiring in an hour', null, [[this.w1, 'member']], ['*'], Date.now() + HOUR);
    for (const [name, scopes, extra] of [
      ['key *', ['*'], {}],
      ['key api-keys:*', ['api-keys:*'], {}],
      ['key api-keys:update+read', ['api-keys:update', 'api-keys:read'], {}],
      ['test key api-keys:*', ['api-keys:*', 'keys:verify'], { environment: 'test' }],
      ['test key *', ['*'], { environment: 'test' }],
      ['key users/workspaces/roles', ['users:*', 'workspaces:*', 'roles:*'], {}],
      ['key on the free tier', ['api-keys:*', 'keys:verify'], { rateLimitTier: 'free' }],
      ['key expiring in an hour', ['api-keys:*'], { expiresAt: Date.now() + HOUR }],
      ['key allowlisted to loopback', ['api-keys:*', 'users:*'], { ipAllowlist: ['127.0.0.0/8'] }],
    ] as [
      string,
      string[],
      { environment?: 'test'; rateLimitTier?: string; expiresAt?: number; ipAllowlist?: string[] },
    ][]) {
      const key = await this.issue({ kind: 'workspace_key', workspaceId: this.w1, scopes, ...extra });
      this.actor(
        {
          name,
          kind: 'workspace_key',
          environment: extra.environment ?? 'live',
          scopes,
          workspace: this.w1,
          expiresAt: extra.expiresAt ?? null,
          budget: BUDGETS[extra.rateLimitTier ?? 'default'],
          allowlist: extra.ipAllowlist ?? [],
        },
        key,
      );
    }
  }

  private actor(actor: Actor, key: string, headers: Record<string, string> = {}): void {
    this.actors.push({ ...actor, client: this.t.client(this.acme.host, key), headers });
  }

  /** A user of acme with these roles, made by the owner through the API. */
  async user(tenantRole: string | null, memberships: [string, string][]): Promise<ModelUser> {
    const fixture = await createUser(this.t, this.acme, tenantRole ? { tenantRole } : {});
    for (const [ws, role] of memberships) await addMember(this.acme, ws, fixture.id, role);
    const user = { id: fixture.id, tenantRole, memberships: new Map(memberships) };
    this.users.set(user.id, user);
    return user;
  }

  /** A credential issued directly (its settings are the test's choice, not under test here). */
  async issue(input: {
    kind: 'workspace_key' | 'user_token';
    workspaceId: string | null;
    userId?: string;
    scopes: string[];
    environment?: 'live' | 'test';
    rateLimitTier?: string;
    expiresAt?: number | null;
    ipAllowlist?: string[];
    tenant?: TenantFixture;
  }): Promise<string> {
    const issuer = this.t.app.get(KeyIssuer);
    const issued = await asTenant(this.t, input.tenant ?? this.acme, (ctx) =>
      issuer.issue(ctx, {
        kind: input.kind,
        name: `model ${++this.counter}`,
        workspaceId: input.workspaceId,
        userId: input.userId ?? null,
        environment: input.environment ?? 'live',
        scopes: input.scopes,
        rateLimitTier: input.rateLimitTier ?? null,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
        ipAllowlist: input.ipAllowlist ?? [],
      }),
    );
    this.lastIssuedId = issued.row.id;
    return issued.key;
  }

  lastIssuedId = '';

  /** A workspace key target: acme's (W1 or W2) or the other tenant's. */
  async key(
    spec: Omit<KeyTarget, 'id' | 'budget' | 'allowlist'> & { tier?: string; allowlist?: string[] },
  ): Promise<KeyTarget> {
    const allowlist = spec.allowlist ?? ['10.0.0.0/8'];
    await this.issue({
      kind: 'workspace_key',
      workspaceId: spec.workspace,
      scopes: [...spec.scopes],
      environment: spec.environment,
      rateLimitTier: spec.tier,
      expiresAt: spec.expiresAt,
      ipAllowlist: allowlist,
      tenant: spec.tenant === 'other' ? this.other : this.acme,
    });
    return { ...spec, id: this.lastIssuedId, budget: BUDGETS[spec.tier ?? 'default'], allowlist };
  }

  nextEmail(): string {
    return `model-${++this.counter}-${Date.now()}@example.test`;
  }

  /**
   * Everything a refused request could have touched: the row counts of every table and the rows
   * of the targets (last use, which a background flush writes, left out).
   */
  async snapshot(ids: string[]): Promise<string> {
    const db = this.t.app.get(DataSource);
    const tables = [
      'api_keys',
      'users',
      'memberships',
      'roles',
      'workspaces',
      'audit_logs',
      'scopes',
      'tenants',
    ];
    const counts = await db.query(
      `SELECT ${tables.map((name) => `(SELECT COUNT(*) FROM ${name}) AS ${name}`).join(', ')}`,
    );
    const rows: unknown[] = [];
    if (ids.length > 0) {
      const marks = ids.map(() => '?').join(', ');
      for (const table of ['api_keys', 'users', 'roles'])
        rows.push(await db.query(`SELECT * FROM ${table} WHERE id IN (${marks}) ORDER BY id`, ids));
      rows.push(await db.query(`SELECT * FROM memberships WHERE user_id IN (${marks}) ORDER BY id`, ids));
    }
    return JSON.stringify({ counts: normalize(counts), rows: normalize(rows) });
  }
}

/** Drop last_used_at (written by the usage flush) and make numbers comparable across drivers. */
function normalize(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) =>
      key === 'last_used_at' ? undefined : typeof v === 'bigint' ? Number(v) : v,
    ),
  );
}
