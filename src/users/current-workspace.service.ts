import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ForbiddenError, InvalidInputError, UnauthenticatedError } from '../core/errors';
import { TransactionRunner } from '../core/database/transaction-runner';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { RequestContext } from '../core/context/request-context';
import { PermissionResolver } from '../access/permission-resolver';
import { WorkspaceDirectory } from '../workspaces/workspace-directory';
import { currentUser } from '../core/context/current-user';
import { presentUser } from './user.presenter';
import { UsersRepository } from './users.repository';

/**
 * Seed 000's "current workspace": where the user's tokens act when no X-Workspace-ID is sent.
 * Only a workspace the user may enter (member, or `view_all_locations`), and not a suspended one,
 * which would turn every header-less request of the user into a 403.
 */
@Injectable()
export class CurrentWorkspaceService {
  constructor(
    private readonly users: UsersRepository,
    private readonly workspaces: WorkspaceDirectory,
    private readonly permissions: PermissionResolver,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly bus: InvalidationBus,
  ) {}

  async set(ctx: RequestContext, workspaceId: string) {
    const me = currentUser(ctx);
    const tenantId = ctx.tenantId();
    const workspace = await this.workspaces.findOrFail(ctx, workspaceId);
    const access = await this.permissions.access(ctx, tenantId, me.userId);
    if (!access) throw new UnauthenticatedError('user_gone');
    if (
      !access.memberships.has(workspace.id) &&
      !(await this.permissions.canSeeAllWorkspaces(ctx, tenantId, access))
    ) {
      throw ForbiddenError.because('workspace_not_allowed');
    }
    if (workspace.status !== 'active')
      throw InvalidInputError.field('workspace_id', 'the workspace is suspended');
    const user = await this.users.findOneOrFail(ctx, { id: me.userId });
    const updatedAt = new Date();
    await this.transactions.run(ctx, async (ctx) => {
      await this.users.update(ctx, { id: me.userId }, { currentWorkspaceId: workspace.id, updatedAt });
      const metadata = { from: user.currentWorkspaceId, to: workspace.id };
      await this.audit.record(ctx, {
        action: 'user.current_workspace_changed',
        targetType: 'user',
        targetId: me.userId,
        workspaceId: workspace.id,
        metadata,
      });
    });
    this.bus.publish(ctx, { type: 'user', tenantId, userId: me.userId });
    return presentUser({ ...user, currentWorkspaceId: workspace.id, updatedAt });
  }

  /** The caller's own user record (`GET /users/me`). */
  async me(ctx: RequestContext) {
    return presentUser(await this.users.findOneOrFail(ctx, { id: currentUser(ctx).userId }));
  }
}
