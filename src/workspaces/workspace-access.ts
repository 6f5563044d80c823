import { Injectable } from '@nestjs/common';
import { Authority } from '../access/authority';
import { PermissionResolver } from '../access/permission-resolver';
import { UnauthenticatedError } from '../core/errors';
import { RequestContext } from '../core/context/request-context';

/**
 * The guard chain checked the route's scope in the ACTIVE workspace. A route that acts on another
 * workspace by id (`/workspaces/:id/...`) must hold the scope there too (Authority.grantsIn), or an
 * admin of one workspace could suspend or re-staff every other. Workspace keys hold nothing
 * outside their own.
 */
@Injectable()
export class WorkspaceAccess {
  constructor(
    private readonly authority: Authority,
    private readonly permissions: PermissionResolver,
    private readonly context: RequestContext,
  ) {}

  async assertAllowed(workspaceId: string, scope: string): Promise<void> {
    await this.authority.assertScopeIn(workspaceId, scope);
  }

  /** The workspace ids a listing may show, or null for all (view_all_locations, tenant owners). */
  async visibleIds(): Promise<string[] | null> {
    const principal = this.context.principal();
    if (principal?.kind !== 'user_token')
      return principal?.boundWorkspaceId ? [principal.boundWorkspaceId] : [];
    const access = await this.permissions.access(this.context.tenantId(), principal.userId ?? '');
    if (!access) throw new UnauthenticatedError('user_gone');
    if (await this.permissions.canSeeAllWorkspaces(this.context.tenantId(), access)) return null;
    return [...access.memberships.keys()];
  }
}
