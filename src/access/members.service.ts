import { Injectable } from '@nestjs/common';
import { Authority } from './authority';
import { PermissionResolver, UserAccess } from './permission-resolver';
import { AuditService } from '../audit/audit.service';
import { InvalidInputError, NotFoundError } from '../core/errors';
import { newId } from '../core/common/ids';
import { PageQueryDto } from '../core/common/pagination';
import { isUniqueViolation } from '../core/database/db-errors';
import { keysetPage } from '../core/database/keyset-page';
import { TransactionRunner } from '../core/database/transaction-runner';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { RequestContext } from '../core/context/request-context';
import { UserDirectory } from '../users/user-directory';
import { Membership } from './membership.entity';
import { presentMembership } from './membership.presenter';
import { RoleDirectory } from './role-directory';
import { MembershipsRepository } from './memberships.repository';
import { WorkspaceDirectory } from '../workspaces/workspace-directory';

const ALREADY_MEMBER = 'The user is already a member of this workspace; change the role with PATCH.';

/**
 * Who belongs to a workspace and with which role. A membership change alters the user's
 * permissions, so each one tells the permission cache (the next request sees it).
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly workspaces: WorkspaceDirectory,
    private readonly memberships: MembershipsRepository,
    private readonly users: UserDirectory,
    private readonly roles: RoleDirectory,
    private readonly permissions: PermissionResolver,
    private readonly authority: Authority,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly bus: InvalidationBus,
  ) {}

  async list(ctx: RequestContext, workspaceId: string, query: PageQueryDto) {
    await this.workspaceWhere(ctx, workspaceId, 'workspaces:read');
    const qb = this.memberships
      .queryBuilder(ctx, 'm')
      .andWhere('m.workspaceId = :workspaceId', { workspaceId });
    const page = await keysetPage(qb, 'm', query, (m) => m);
    const ids = page.data.map((m) => m.userId);
    const users = await this.users.findMany(ctx, ids);
    const byId = new Map(users.map((u) => [u.id, u]));
    return {
      data: page.data.map((m) => presentMembership(m, byId.get(m.userId))),
      next_cursor: page.next_cursor,
    };
  }

  add(ctx: RequestContext, workspaceId: string, userId: string, role: string) {
    return this.transactions.exclusive(ctx, (ctx) => this.addChecked(ctx, workspaceId, userId, role));
  }

  private async addChecked(ctx: RequestContext, workspaceId: string, userId: string, role: string) {
    await this.workspaceWhere(ctx, workspaceId, 'workspaces:update');
    const user = await this.users.find(ctx, userId);
    if (!user) throw InvalidInputError.field('user_id', 'user_id must be a user of this tenant');
    await this.roles.assertExists(ctx, role, 'role');
    await this.authority.assertMayChangeMembership(ctx, workspaceId, await this.accessOf(ctx, userId), role);
    const now = new Date();
    const membership: Omit<Membership, 'tenantId'> = {
      id: newId('mem'),
      workspaceId,
      userId,
      role,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.transactions.run(ctx, async (ctx) => {
        if (await this.memberships.findOne(ctx, { workspaceId, userId }))
          throw InvalidInputError.field('user_id', ALREADY_MEMBER);
        await this.memberships.insert(ctx, membership);
        await this.record(ctx, 'membership.created', userId, workspaceId, { role });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw InvalidInputError.field('user_id', ALREADY_MEMBER);
      throw error;
    }
    this.changed(ctx, userId);
    return presentMembership({ ...membership, tenantId: user.tenantId }, user);
  }

  changeRole(ctx: RequestContext, workspaceId: string, userId: string, role: string) {
    return this.transactions.exclusive(ctx, (ctx) => this.changeRoleChecked(ctx, workspaceId, userId, role));
  }

  private async changeRoleChecked(ctx: RequestContext, workspaceId: string, userId: string, role: string) {
    const membership = await this.findMembership(ctx, workspaceId, userId, role);
    const updated = { ...membership, role, updatedAt: new Date() };
    await this.transactions.run(ctx, async (ctx) => {
      await this.memberships.update(ctx, { id: membership.id }, { role, updatedAt: updated.updatedAt });
      const metadata = { from: membership.role, to: role };
      await this.record(ctx, 'membership.updated', userId, workspaceId, metadata);
    });
    this.changed(ctx, userId);
    return presentMembership(updated, (await this.users.find(ctx, userId)) ?? undefined);
  }

  remove(ctx: RequestContext, workspaceId: string, userId: string): Promise<void> {
    return this.transactions.exclusive(ctx, (ctx) => this.removeChecked(ctx, workspaceId, userId));
  }

  private async removeChecked(ctx: RequestContext, workspaceId: string, userId: string): Promise<void> {
    const membership = await this.findMembership(ctx, workspaceId, userId);
    await this.transactions.run(ctx, async (ctx) => {
      await this.memberships.delete(ctx, { id: membership.id });
      const metadata = { role: membership.role };
      await this.record(ctx, 'membership.removed', userId, workspaceId, metadata);
    });
    this.changed(ctx, userId);
  }

  /**
   * 404 unless the user is a member; then Authority's 403 unless the caller holds, in THIS
   * workspace, all the member holds here and all of the new role (`role` null: removal).
   */
  private async findMembership(
    ctx: RequestContext,
    workspaceId: string,
    userId: string,
    role: string | null = null,
  ): Promise<Membership> {
    await this.workspaceWhere(ctx, workspaceId, 'workspaces:update');
    const membership = await this.memberships.findOneOrFail(ctx, { workspaceId, userId });
    if (role) await this.roles.assertExists(ctx, role, 'role');
    await this.authority.assertMayChangeMembership(ctx, workspaceId, await this.accessOf(ctx, userId), role);
    return membership;
  }

  /** The workspace (404 for another tenant's), once the caller may use `scope` in it (403). */
  private async workspaceWhere(ctx: RequestContext, workspaceId: string, scope: string): Promise<void> {
    await this.workspaces.findOrFail(ctx, workspaceId);
    await this.authority.assertScopeIn(ctx, workspaceId, scope);
  }

  private async accessOf(ctx: RequestContext, userId: string): Promise<UserAccess> {
    const access = await this.permissions.access(ctx, ctx.tenantId(), userId);
    if (!access) throw new NotFoundError();
    return access;
  }

  /** A membership row's audit: in that workspace's log, and in the caller's own when elsewhere. */
  private record(
    ctx: RequestContext,
    action: string,
    userId: string,
    workspaceId: string,
    metadata: Record<string, unknown>,
  ) {
    return this.audit.record(ctx, {
      action,
      targetType: 'user',
      targetId: userId,
      workspaceId,
      alsoIn: this.actorWorkspace(ctx),
      metadata,
    });
  }

  /** The caller's own workspace sees the change too, when it was made from there. */
  private actorWorkspace(ctx: RequestContext): string[] {
    const active = ctx.workspace()?.id;
    return active ? [active] : [];
  }

  private changed(ctx: RequestContext, userId: string): void {
    this.bus.publish(ctx, { type: 'user', tenantId: ctx.tenantId(), userId });
  }
}
