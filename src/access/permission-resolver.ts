import { Injectable, OnModuleInit } from '@nestjs/common';
import { RequestContext } from '../core/context/request-context';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { TtlCache } from '../core/common/ttl-cache';
import { SingleFlight } from '../core/common/single-flight';
import { ChangeLog, EVERYTHING } from '../core/common/change-log';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { ScopeCatalog } from '../scopes/scope-catalog';
import { UserDirectory } from '../users/user-directory';
import type { UserStatus } from '../users/user.entity';
import { BUILT_IN_ROLES, isBuiltInRole, VIEW_ALL_LOCATIONS } from './built-in-roles';
import { WorkspaceDirectory } from '../workspaces/workspace-directory';
import { MembershipsRepository } from './memberships.repository';
import { RolesRepository } from './roles.repository';

export interface UserAccess {
  userId: string;
  status: UserStatus;
  tenantRole: string | null;
  currentWorkspaceId: string | null;
  /** workspace id → role name, in membership creation order (the "first" workspace is first). */
  memberships: Map<string, string>;
}

/**
 * A user's permissions in a workspace: their tenant role's permissions plus their membership
 * role's. Cached per user (and roles per tenant) with the key-cache TTL as the bound; every change
 * to a user, membership or role invalidates at once.
 */
@Injectable()
export class PermissionResolver implements OnModuleInit {
  private readonly users: TtlCache<string, UserAccess>;
  private readonly roles: TtlCache<string, Map<string, string[]>>;
  /**
   * Invalidations by user and by tenant: what a look-up read before one touching it (a membership
   * removed, a user deactivated while we were asking) is used for that request but not cached.
   */
  private readonly changes = new ChangeLog();
  private readonly accessLoads = new SingleFlight<string, UserAccess | null>();

  constructor(
    private readonly directory: UserDirectory,
    private readonly memberships: MembershipsRepository,
    private readonly rolesRepository: RolesRepository,
    private readonly workspaces: WorkspaceDirectory,
    private readonly catalog: ScopeCatalog,
    private readonly bus: InvalidationBus,
    @InjectConfig() config: KeygateConfig,
  ) {
    const ttl = Math.max(config.keyCacheTtlSeconds * 1000, 1);
    this.users = new TtlCache({ max: 100000, ttl });
    this.roles = new TtlCache({ max: 10000, ttl });
  }

  async access(ctx: RequestContext, tenantId: string, userId: string): Promise<UserAccess | null> {
    const key = `${tenantId}:${userId}`;
    // Inside a transaction (an authorization decision about to be written) nothing cached is used,
    // nor shared: the transaction's own reads decide.
    if (ctx.entityManager() !== undefined) return this.readAccess(ctx, userId);
    const cached = this.users.get(key);
    if (cached) return cached;
    const mark = this.changes.mark();
    return this.accessLoads.run(`${mark}:${key}`, async () => {
      const access = await this.readAccess(ctx, userId);
      if (access && !this.changes.changedSince(mark, [`user:${key}`, `tenant:${tenantId}`]))
        this.users.set(key, access);
      return access;
    });
  }

  private async readAccess(ctx: RequestContext, userId: string): Promise<UserAccess | null> {
    const user = await this.directory.find(ctx, userId);
    if (!user) return null;
    const rows = await this.memberships.find(ctx, { userId }, { order: { createdAt: 'ASC', id: 'ASC' } });
    return {
      userId,
      status: user.status,
      tenantRole: user.tenantRole,
      currentWorkspaceId: user.currentWorkspaceId,
      memberships: new Map(rows.map((m) => [m.workspaceId, m.role])),
    };
  }

  /** Permissions in `workspaceId` (null: tenant role only). */
  async permissionsIn(
    ctx: RequestContext,
    tenantId: string,
    access: UserAccess,
    workspaceId: string | null,
  ): Promise<string[]> {
    const names = [access.tenantRole, workspaceId ? access.memberships.get(workspaceId) : undefined];
    const permissions = new Set<string>();
    for (const name of names) {
      if (!name) continue;
      for (const p of await this.rolePermissions(ctx, tenantId, name)) permissions.add(p);
    }
    return [...permissions];
  }

  async canSeeAllWorkspaces(ctx: RequestContext, tenantId: string, access: UserAccess): Promise<boolean> {
    if (!access.tenantRole) return false;
    const permissions = await this.rolePermissions(ctx, tenantId, access.tenantRole);
    return permissions.includes('*') || permissions.includes(VIEW_ALL_LOCATIONS);
  }

  async rolePermissions(ctx: RequestContext, tenantId: string, roleName: string): Promise<string[]> {
    if (roleName === 'admin') return this.adminPermissions();
    // isBuiltInRole, not a bare look-up: a tenant role named `constructor` must not find Object.prototype.
    if (isBuiltInRole(roleName)) return BUILT_IN_ROLES[roleName].permissions;
    let roles = ctx.entityManager() ? undefined : this.roles.get(tenantId);
    if (!roles) {
      const mark = this.changes.mark();
      const rows = await this.rolesRepository.find(ctx);
      roles = new Map(rows.map((r) => [r.name, r.permissions]));
      if (!ctx.entityManager() && !this.changes.changedSince(mark, [`tenant:${tenantId}`]))
        this.roles.set(tenantId, roles);
    }
    return roles.get(roleName) ?? [];
  }

  /** Every code and built-in scope but tenant administration (`tenant:*`, view_all_locations). */
  private adminPermissions(): string[] {
    const all = this.catalog.fixed().map((e) => e.name);
    return [
      ...BUILT_IN_ROLES.admin.permissions,
      ...all.filter((s) => !s.startsWith('tenant:') && s !== VIEW_ALL_LOCATIONS),
    ];
  }

  /** Every workspace id of the request's tenant (what a tenant-wide role reaches). */
  allWorkspaceIds(ctx: RequestContext): Promise<string[]> {
    return this.workspaces.allIds(ctx);
  }

  /** The workspaces a user's permissions apply in: every one with a tenant role, else their own. */
  async workspacesOf(ctx: RequestContext, access: UserAccess): Promise<string[]> {
    return access.tenantRole ? this.allWorkspaceIds(ctx) : [...access.memberships.keys()];
  }

  /** Everyone who is a member of `workspaceId`, with their access. */
  async membersOf(ctx: RequestContext, tenantId: string, workspaceId: string): Promise<UserAccess[]> {
    const rows = await this.memberships.find(ctx, { workspaceId });
    const members = await Promise.all(rows.map((m) => this.access(ctx, tenantId, m.userId)));
    return members.filter((m): m is UserAccess => m !== null);
  }

  /** Where a role is in force: the workspaces of its memberships, or every one if a user holds it tenant-wide. */
  async roleReach(
    ctx: RequestContext,
    roleName: string,
  ): Promise<{ workspaceIds: string[]; tenantWide: boolean }> {
    const tenantWide = (await this.directory.countWithTenantRole(ctx, roleName)) > 0;
    if (tenantWide) return { workspaceIds: await this.allWorkspaceIds(ctx), tenantWide };
    const rows = await this.memberships.find(ctx, { role: roleName });
    return { workspaceIds: [...new Set(rows.map((m) => m.workspaceId))], tenantWide };
  }

  /** A user's change drops that user; a role or tenant change, the whole tenant; resync, all. */
  onModuleInit(): void {
    this.bus.subscribe((event) => {
      if (event.type === 'user') this.invalidateUser(event.tenantId, event.userId);
      else if (event.type === 'roles' || event.type === 'tenant') this.invalidateTenant(event.tenantId);
      else if (event.type === 'resync') {
        this.changes.record(EVERYTHING);
        this.users.clear();
        this.roles.clear();
      }
    });
  }

  invalidateUser(tenantId: string, userId: string): void {
    this.changes.record(`user:${tenantId}:${userId}`);
    this.users.delete(`${tenantId}:${userId}`);
  }

  invalidateTenant(tenantId: string): void {
    this.changes.record(`tenant:${tenantId}`);
    this.roles.delete(tenantId);
    for (const key of this.users.keys()) if (key.startsWith(`${tenantId}:`)) this.users.delete(key);
  }
}
