import { Injectable } from '@nestjs/common';
import type { CredentialKind, KeyEnvironment } from '../api-keys/api-key.entity';
import { ForbiddenError, UnauthenticatedError } from '../core/errors';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { budgetExceeds, type RateLimitBudget } from '../core/config/rate-limit-tiers';
import { allowlistWithin } from '../api-keys/ip-allowlist';
import type { Principal } from '../core/context/principal';
import { RequestContext } from '../core/context/request-context';
import { coveredByAny, intersectScopes } from '../core/access-policy/scope-names';
import { PermissionResolver, UserAccess } from './permission-resolver';
import { assertEnvironmentAllows } from './test-credential-rule';

/** A credential as the rule sees it: what it holds, where, for how long, at what budget. */
export interface CredentialTerms {
  kind: CredentialKind;
  environment: KeyEnvironment;
  /** A workspace key's workspace; null for user tokens (they act wherever their user may). */
  workspaceId: string | null;
  scopes: readonly string[];
  /** Canonical IP allowlist entries; empty: everywhere. */
  allowlist: readonly string[];
  /** ms since the epoch, or null for never. */
  expiresAt: number | null;
  budget: RateLimitBudget;
}

/** "Every workspace": the tenant level (null) and each workspace of the tenant. */
type Reach = ReadonlyArray<string | null>;

/**
 * THE authorization rule (product.md, "Authorization"), in one place: a caller may create, hand
 * out a secret of, change or loosen a credential, and may create, edit or re-role a user, a
 * membership or a role, only when it holds everything the target holds, and will hold, in every
 * workspace the change reaches. "Holds in W" is the caller's effective grants there: a workspace
 * key holds its scopes in its own workspace and nothing anywhere else; a user token holds its
 * abilities within its user's permissions in W (tenant role plus membership role in W).
 *
 * Services call one of the `assertMay…` methods before they write, and make no checks of their
 * own. A refusal is a 403 thrown before anything is written.
 */
@Injectable()
export class Authority {
  constructor(
    private readonly permissions: PermissionResolver,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  /** What the caller holds in `workspaceId` (null: at the tenant level, outside any workspace). */
  async grantsIn(ctx: RequestContext, workspaceId: string | null): Promise<string[]> {
    const caller = this.caller(ctx);
    if (caller.kind === 'workspace_key') {
      return workspaceId !== null && workspaceId === caller.boundWorkspaceId ? caller.grantedScopes : [];
    }
    if (caller.kind !== 'user_token') return [];
    const access = await this.callerAccess(ctx, caller);
    const permissions = await this.permissions.permissionsIn(ctx, ctx.tenantId(), access, workspaceId);
    return intersectScopes(caller.grantedScopes, permissions);
  }

  /** 403 unless the caller may use `scope` in `workspaceId` (null: tenant-wide). */
  async assertScopeIn(ctx: RequestContext, workspaceId: string | null, scope: string): Promise<void> {
    if (!coveredByAny(await this.grantsIn(ctx, workspaceId), scope)) {
      throw ForbiddenError.because('workspace_not_allowed', { required_scope: scope });
    }
  }

  /**
   * Create (`current` null), rotate (`current` null too: a new secret is handed out), or change a
   * credential. Test credentials touch only test credentials; the caller must hold every scope the
   * credential holds and will hold; and what the caller makes may not outlive it nor escape its
   * IP allowlist, whatever its kind (a short-lived token makes no permanent key), nor, when the
   * caller is a key, get a larger rate-limit budget (user tokens' budget is the API's default, not
   * a limit anyone chose, so it does not cap the keys a person creates).
   */
  async assertMayShapeCredential(
    ctx: RequestContext,
    next: CredentialTerms,
    current: CredentialTerms | null = null,
  ): Promise<void> {
    const caller = this.caller(ctx);
    this.assertEnvironment(ctx, next.environment);
    if (current) this.assertEnvironment(ctx, current.environment);
    // A user's tokens are capped by that user's permissions at use, so between tokens of one user
    // the abilities are what is compared; anything else by the grants where the key lives.
    const held =
      next.kind === 'user_token' && caller.kind === 'user_token'
        ? caller.grantedScopes
        : await this.grantsIn(ctx, next.workspaceId);
    const wanted = [...(current?.scopes ?? []), ...next.scopes];
    this.assertCovers(held, wanted);
    if (
      later(next.expiresAt, current ? current.expiresAt : -Infinity) &&
      later(next.expiresAt, caller.expiresAt)
    ) {
      throw ForbiddenError.because('outlives_caller', {
        caller_expires_at: new Date(caller.expiresAt!).toISOString(),
      });
    }
    const widens = !current || !allowlistWithin(next.allowlist, current.allowlist);
    if (widens && !allowlistWithin(next.allowlist, caller.allowlist)) {
      throw ForbiddenError.because('escapes_caller_allowlist', { caller_ip_allowlist: caller.allowlist });
    }
    if (
      caller.kind === 'workspace_key' &&
      (!current || budgetExceeds(next.budget, current.budget)) &&
      budgetExceeds(next.budget, caller.rateLimit)
    ) {
      throw ForbiddenError.because('outranks_caller');
    }
    // Keys made by keys share budgets; a key changing any key's budget, even downwards, would
    // open a budget of its own beside the shared one. People (user tokens) set budgets.
    const budgetChanged = current && JSON.stringify(next.budget) !== JSON.stringify(current.budget);
    if (caller.kind === 'workspace_key' && budgetChanged) throw ForbiddenError.because('shared_budget');
  }

  /**
   * A user token made for `target` (an import of that user's old token). It holds its abilities
   * within the user's permissions wherever the user reaches, today and after any later grant to
   * the user, so the caller must hold every one of those abilities itself in each of those
   * workspaces (not only their intersection with what the user holds now: `*` for another user
   * needs `*` there). A token for another user is also a way into that account, an identity
   * change: it needs `users:update` tenant-wide, as in assertMayManageUser. And, as any
   * credential, it may not outlive the caller nor escape its allowlist.
   */
  async assertMayIssueTokenFor(
    ctx: RequestContext,
    target: UserAccess,
    terms: CredentialTerms,
  ): Promise<void> {
    await this.assertMayShapeCredential(ctx, { ...terms, scopes: [] });
    const caller = this.caller(ctx);
    // One's own token: capped by one's own permissions at use, so abilities against abilities.
    if (caller.kind === 'user_token' && target.userId === caller.userId) {
      this.assertCovers(caller.grantedScopes, terms.scopes);
      return;
    }
    this.assertLiveCaller(ctx);
    this.assertCovers(await this.grantsIn(ctx, null), ['users:update']);
    const reach = await this.reachOf(ctx, target);
    for (const workspaceId of reach.length > 0 ? reach : [null])
      this.assertCovers(await this.grantsIn(ctx, workspaceId), terms.scopes);
  }

  /**
   * The latest default expiry a new credential may get: the caller's own (a key made with a
   * short-lived token, or a token minted by one, inherits its end), or none.
   */
  expiryCap(ctx: RequestContext): number | null {
    return this.caller(ctx).expiresAt;
  }

  /** Likewise the allowlist a new credential gets when it names none: the caller's own. */
  allowlistCap(ctx: RequestContext): readonly string[] {
    return this.caller(ctx).allowlist;
  }

  /** Revoke or delete: taking power away needs only the route's scope, in the caller's environment. */
  assertMayRetireCredential(ctx: RequestContext, environment: KeyEnvironment): void {
    this.assertEnvironment(ctx, environment);
  }

  /**
   * Create (`target` null), edit, (de)activate or delete a user, and optionally give them the
   * tenant-wide role `tenantRole`: the caller must hold the route's `scope` and all the user
   * holds wherever the user reaches (a user in no workspace is the tenant's: tenant level), and
   * all of the new role everywhere. A password is a way in that never expires, has no allowlist
   * and the default budget: a caller limited in any of these may not set one (`setsPassword`).
   */
  async assertMayManageUser(
    ctx: RequestContext,
    target: UserAccess | null,
    change: {
      scope: string;
      tenantRole?: string | null;
      /** Sets a password: a way in that never expires and has no allowlist. */
      setsPassword?: boolean;
      /** Changes how the user signs in (email, password). */
      changesIdentity?: boolean;
      /** Gives the user power back or anew (reactivation). */
      grants?: boolean;
    },
  ): Promise<void> {
    this.assertLiveCaller(ctx);
    const caller = this.caller(ctx);
    const tenantId = ctx.tenantId();
    const { tenantRole } = change;
    // Power handed to a person outlives any limit of the credential that handed it over.
    if ((change.setsPassword || tenantRole || change.grants) && this.isLimited(caller)) {
      throw ForbiddenError.because('limited_caller');
    }
    // Identities are the tenant's: another user's email or password is changed only by a caller
    // holding users:update tenant-wide (else a workspace admin could adopt a user, take the
    // account and let it go again).
    if (change.changesIdentity && target && target.userId !== caller.userId) {
      this.assertCovers(await this.grantsIn(ctx, null), ['users:update']);
    }
    if (target) {
      const reach = await this.reachOf(ctx, target);
      for (const workspaceId of reach.length > 0 ? reach : [null]) {
        const held = await this.permissions.permissionsIn(ctx, tenantId, target, workspaceId);
        this.assertCovers(await this.grantsIn(ctx, workspaceId), [change.scope, ...held]);
      }
    }
    if (tenantRole) {
      const granted = await this.permissions.rolePermissions(ctx, tenantId, tenantRole);
      for (const workspaceId of await this.everywhere(ctx))
        this.assertCovers(await this.grantsIn(ctx, workspaceId), granted);
    }
  }

  /** Add (`role` set), change or remove (`role` null) `target`'s membership of `workspaceId`. */
  async assertMayChangeMembership(
    ctx: RequestContext,
    workspaceId: string,
    target: UserAccess,
    role: string | null,
  ): Promise<void> {
    this.assertLiveCaller(ctx);
    if (role && this.isLimited(this.caller(ctx))) throw ForbiddenError.because('limited_caller');
    const tenantId = ctx.tenantId();
    const held = await this.grantsIn(ctx, workspaceId);
    this.assertCovers(held, await this.permissions.permissionsIn(ctx, tenantId, target, workspaceId));
    if (role) this.assertCovers(held, await this.permissions.rolePermissions(ctx, tenantId, role));
  }

  /**
   * Create (`current` null), edit or delete a tenant role. The change reaches the caller's
   * workspace and every workspace where the role is held (all of them when someone holds it
   * tenant-wide); the caller must hold the old and the new permissions in each.
   */
  async assertMayShapeRole(
    ctx: RequestContext,
    current: { name: string; permissions: string[] } | null,
    permissions: readonly string[],
    /** The name the role will have (create, rename): whoever already holds that name gets it. */
    name: string = current?.name ?? '',
  ): Promise<void> {
    this.assertLiveCaller(ctx);
    const reach = new Set<string | null>([ctx.workspace()?.id ?? null]);
    let holders = false;
    for (const roleName of new Set([current?.name, name])) {
      if (!roleName) continue;
      const held = await this.permissions.roleReach(ctx, roleName);
      holders ||= held.tenantWide || held.workspaceIds.length > 0;
      for (const id of held.tenantWide ? await this.everywhere(ctx) : held.workspaceIds) reach.add(id);
    }
    // Editing a role changes what its holders can do: a grant to people, like a membership.
    if (holders && permissions.length > 0 && this.isLimited(this.caller(ctx)))
      throw ForbiddenError.because('limited_caller');
    const wanted = [...(current?.permissions ?? []), ...permissions];
    for (const workspaceId of reach) this.assertCovers(await this.grantsIn(ctx, workspaceId), wanted);
  }

  /**
   * Delete a workspace: it takes every membership in it along, so the caller must hold there
   * all that each member holds there (a workspace admin cannot delete the owner out of it).
   */
  async assertMayDeleteWorkspace(
    ctx: RequestContext,
    workspaceId: string,
    members: readonly UserAccess[],
  ): Promise<void> {
    this.assertLiveCaller(ctx);
    const tenantId = ctx.tenantId();
    const held = await this.grantsIn(ctx, workspaceId);
    for (const member of members)
      this.assertCovers(held, await this.permissions.permissionsIn(ctx, tenantId, member, workspaceId));
  }

  /** Workspaces, custom scopes, tenant settings: live data a test credential may not change. */
  assertMayChangeTenantData(ctx: RequestContext): void {
    this.assertLiveCaller(ctx);
  }

  /** Limited in time, address or budget (below the default a login token would get). */
  private isLimited(caller: Principal): boolean {
    return (
      caller.expiresAt !== null ||
      caller.allowlist.length > 0 ||
      budgetExceeds(this.config.rateLimitDefault, caller.rateLimit)
    );
  }

  private assertEnvironment(ctx: RequestContext, target: KeyEnvironment): void {
    assertEnvironmentAllows(this.caller(ctx), target);
  }

  private assertLiveCaller(ctx: RequestContext): void {
    assertEnvironmentAllows(this.caller(ctx));
  }

  private assertCovers(held: readonly string[], wanted: readonly string[]): void {
    const beyond = wanted.find((scope) => !coveredByAny(held, scope));
    if (beyond !== undefined)
      throw ForbiddenError.because('exceeds_caller_grants', { required_scope: beyond });
  }

  /** Where a user's permissions apply: everywhere with a tenant role, else their workspaces. */
  private async reachOf(ctx: RequestContext, user: UserAccess): Promise<Reach> {
    const workspaces = await this.permissions.workspacesOf(ctx, user);
    return user.tenantRole ? [null, ...workspaces] : workspaces;
  }

  private async everywhere(ctx: RequestContext): Promise<Reach> {
    return [null, ...(await this.permissions.allWorkspaceIds(ctx))];
  }

  private caller(ctx: RequestContext): Principal {
    const principal = ctx.principal();
    if (!principal) throw new UnauthenticatedError('no_principal');
    return principal;
  }

  private async callerAccess(ctx: RequestContext, caller: Principal): Promise<UserAccess> {
    const access = await this.permissions.access(ctx, ctx.tenantId(), caller.userId ?? '');
    if (!access || access.status !== 'active') throw new UnauthenticatedError('user_inactive');
    return access;
  }
}

/** Is expiry `a` later than `b` (null = never, the latest of all)? */
function later(a: number | null, b: number | null): boolean {
  if (a === null) return b !== null;
  return b !== null && a > b;
}
