import * as ipaddr from 'ipaddr.js';

/**
 * The authorization rule of product.md ("Authorization"), restated for the model-based suite
 * without any code of the implementation: who holds what, where, and what each change needs.
 * Role contents are data (read from GET /roles); the rule applied to them is written here.
 */

export type Grants = readonly string[];

/** `granted` covers `wanted`: `*`, or each part `*` or equal; a bare name only by itself or `*`. */
export function covers(granted: string, wanted: string): boolean {
  if (granted === '*' || granted === wanted) return true;
  const [gr, ga] = granted.split(':');
  const [wr, wa] = wanted.split(':');
  if (ga === undefined || wa === undefined) return false;
  return (gr === '*' || gr === wr) && (ga === '*' || ga === wa);
}

export const holdsAll = (granted: Grants, wanted: Grants): boolean =>
  wanted.every((w) => granted.some((g) => covers(g, w)));

export interface ModelUser {
  id: string;
  tenantRole: string | null;
  memberships: Map<string, string>;
}

export interface Actor {
  name: string;
  kind: 'user_token' | 'workspace_key';
  environment: 'live' | 'test';
  /** Token abilities or key scopes. */
  scopes: Grants;
  /** The user behind a token. */
  user?: ModelUser;
  /** The workspace it acts in (a key's own; a token's current one). */
  workspace: string;
  expiresAt: number | null;
  budget: Budget;
  /** Its IP allowlist; empty: everywhere. */
  allowlist: string[];
}

/** Every address `inner` allows, `outer` allows too (empty = everywhere). */
export function within(inner: readonly string[], outer: readonly string[]): boolean {
  if (outer.length === 0) return true;
  const cidr = (e: string) =>
    e.includes('/') ? ipaddr.parseCIDR(e) : ([ipaddr.parse(e), e.includes(':') ? 128 : 32] as const);
  return (
    inner.length > 0 &&
    inner.every((e) => {
      const [a, bits] = cidr(e);
      return outer.some((o) => {
        const [b, obits] = cidr(o);
        return a.kind() === b.kind() && bits >= obits && a.match(b, obits);
      });
    })
  );
}

export class World {
  constructor(
    readonly roles: Map<string, Grants>,
    readonly workspaces: string[],
    readonly defaultBudget: Budget,
  ) {}

  /** What a user is granted in `workspace` (null: the tenant level): tenant role plus membership role. */
  permissionsOf(user: ModelUser, workspace: string | null): Grants {
    const names = [user.tenantRole, workspace ? user.memberships.get(workspace) : undefined];
    return names.flatMap((name) => (name ? (this.roles.get(name) ?? []) : []));
  }

  /** Does `actor` hold every scope of `wanted` in `workspace`? */
  holds(actor: Actor, workspace: string | null, wanted: Grants): boolean {
    if (actor.kind === 'workspace_key')
      return workspace === actor.workspace && holdsAll(actor.scopes, wanted);
    return holdsAll(actor.scopes, wanted) && holdsAll(this.permissionsOf(actor.user!, workspace), wanted);
  }

  /** Where a change to `user` lands: everywhere (and the tenant level) with a tenant role, else their workspaces. */
  reach(user: ModelUser): (string | null)[] {
    return user.tenantRole ? [null, ...this.workspaces] : [...user.memberships.keys()];
  }

  everywhere(): (string | null)[] {
    return [null, ...this.workspaces];
  }

  /** Limited in time, address or budget: what it hands to a person would outlast those limits. */
  limited(actor: Actor): boolean {
    return (
      actor.expiresAt !== null || actor.allowlist.length > 0 || allowsMore(this.defaultBudget, actor.budget)
    );
  }

  /**
   * The rule for a user: hold the route's scope and all they hold wherever they reach (nowhere:
   * the tenant level), and all of a new tenant role everywhere; a limited caller gives no one a
   * password or power; another user's email or password only with users:update tenant-wide.
   */
  mayManageUser(
    actor: Actor,
    user: ModelUser | null,
    newTenantRole: string | null,
    change: { scope: string; setsPassword?: boolean; changesIdentity?: boolean },
  ): boolean {
    if (actor.environment === 'test') return false;
    if ((change.setsPassword || newTenantRole) && this.limited(actor)) return false;
    if (
      change.changesIdentity &&
      user &&
      user.id !== actor.user?.id &&
      !this.holds(actor, null, ['users:update'])
    ) {
      return false;
    }
    const reach = user ? this.reach(user) : [];
    if (
      user &&
      !(reach.length > 0 ? reach : [null]).every((ws) =>
        this.holds(actor, ws, [change.scope, ...this.permissionsOf(user, ws)]),
      )
    )
      return false;
    const role = newTenantRole ? (this.roles.get(newTenantRole) ?? []) : [];
    return this.everywhere().every((ws) => !newTenantRole || this.holds(actor, ws, role));
  }

  /** The rule for a membership of `user` in `workspace`: all they hold there, and all of the new role. */
  mayChangeMembership(actor: Actor, user: ModelUser, workspace: string, role: string | null): boolean {
    if (actor.environment === 'test') return false;
    if (role && this.limited(actor)) return false;
    const wanted = [...this.permissionsOf(user, workspace), ...(role ? (this.roles.get(role) ?? []) : [])];
    return this.holds(actor, workspace, wanted);
  }
}

/** `limit` requests per `window` seconds; null: unlimited. */
export interface Budget {
  limit: number | null;
  window: number;
}

/** More than `b`: more requests a second, or more at once (a month's budget spent in a minute). */
export function allowsMore(a: Budget, b: Budget): boolean {
  const perSecond = (x: Budget) => (x.limit === null ? Infinity : x.limit / x.window);
  const atOnce = (x: Budget) => x.limit ?? Infinity;
  return perSecond(a) > perSecond(b) || atOnce(a) > atOnce(b);
}

export const sameBudget = (a: Budget, b: Budget): boolean => a.limit === b.limit && a.window === b.window;

export interface ModelKey {
  workspace: string;
  environment: 'live' | 'test';
  scopes: Grants;
  expiresAt: number | null;
  budget: Budget;
  allowlist: string[];
}

/** `a` later than `b`, null being never. */
export const later = (a: number | null, b: number | null): boolean =>
  a === null ? b !== null : b !== null && a > b;

/**
 * A credential change: hold every scope it holds and will hold where it lives; a test caller
 * only test keys; a key shaping a key gives it no later expiry and no larger budget than its own
 * (compared only for what the change loosens).
 */
export function mayShapeKey(world: World, actor: Actor, before: ModelKey | null, after: ModelKey): boolean {
  if (
    actor.environment === 'test' &&
    (after.environment !== 'test' || (before && before.environment !== 'test'))
  )
    return false;
  if (!world.holds(actor, after.workspace, [...(before?.scopes ?? []), ...after.scopes])) return false;
  const loosensExpiry = before === null || later(after.expiresAt, before.expiresAt);
  if (loosensExpiry && later(after.expiresAt, actor.expiresAt)) return false;
  const widens = before === null || !within(after.allowlist, before.allowlist);
  if (widens && !within(after.allowlist, actor.allowlist)) return false;
  // Budgets bind keys: a person's token budget is the API default, not a limit they were given.
  if (actor.kind !== 'workspace_key') return true;
  // Keys made by keys share budgets, so a key changes no key's budget, not even downwards.
  if (before && !sameBudget(after.budget, before.budget)) return false;
  const raisesBudget = before === null || allowsMore(after.budget, before.budget);
  return !(raisesBudget && allowsMore(after.budget, actor.budget));
}
