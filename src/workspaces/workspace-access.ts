import { Injectable } from '@nestjs/common';
import { PermissionResolver } from '../access/permission-resolver';
import { UnauthenticatedError } from '../core/errors';
import { RequestContext } from '../core/context/request-context';

/**
 * Which workspaces a caller may list. (Acting on one by id needs the scope there too:
 * Authority.assertScopeIn, which WorkspacesService calls.)
 */
@Injectable()
export class WorkspaceAccess {
  constructor(private readonly permissions: PermissionResolver) {}

  /** The workspace ids a listing may show, or null for all (view_all_locations, tenant owners). */
  async visibleIds(ctx: RequestContext): Promise<string[] | null> {
    const principal = ctx.principal();
    if (principal?.kind !== 'user_token')
      return principal?.boundWorkspaceId ? [principal.boundWorkspaceId] : [];
    const access = await this.permissions.access(ctx, ctx.tenantId(), principal.userId ?? '');
    if (!access) throw new UnauthenticatedError('user_gone');
    if (await this.permissions.canSeeAllWorkspaces(ctx, ctx.tenantId(), access)) return null;
    return [...access.memberships.keys()];
  }
}
