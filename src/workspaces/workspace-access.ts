import { Injectable } from '@nestjs/common';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import { Principal } from '../pipeline/principal';
import { RequestContext } from '../pipeline/request-context';
import { coveredByAny, intersectScopes } from '../scopes/scope-names';
import { PermissionResolver } from './permission-resolver';

/**
 * The guard chain checked the route's scope in the ACTIVE workspace. A route that acts on another
 * workspace by id (`/workspaces/:id/...`) must hold the scope there too, or an admin of one
 * workspace could suspend or re-staff every other. Workspace keys only ever reach their own.
 */
@Injectable()
export class WorkspaceAccess {
  constructor(
    private readonly permissions: PermissionResolver,
    private readonly context: RequestContext,
  ) {}

  async assertAllowed(workspaceId: string, scope: string): Promise<void> {
    if (workspaceId === this.context.workspace()?.id) return;
    const principal = this.context.principal();
    if (principal?.kind !== 'user_token') throw new ForbiddenError();
    const tenantId = this.context.tenantId();
    const access = await this.userAccess(principal);
    const permissions = await this.permissions.permissionsIn(tenantId, access, workspaceId);
    if (!coveredByAny(intersectScopes(principal.grantedScopes, permissions), scope))
      throw new ForbiddenError();
  }

  /** The workspace ids a listing may show, or null for all (view_all_locations, tenant owners). */
  async visibleIds(): Promise<string[] | null> {
    const principal = this.context.principal();
    if (principal?.kind !== 'user_token')
      return principal?.boundWorkspaceId ? [principal.boundWorkspaceId] : [];
    const access = await this.userAccess(principal);
    if (await this.permissions.canSeeAllWorkspaces(this.context.tenantId(), access)) return null;
    return [...access.memberships.keys()];
  }

  private async userAccess(principal: Principal) {
    const access = await this.permissions.access(this.context.tenantId(), principal.userId ?? '');
    if (!access) throw new UnauthenticatedError('user_gone');
    return access;
  }
}
