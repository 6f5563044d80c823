import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ForbiddenError, UnauthenticatedError } from '../core/errors';
import { header, httpRequest } from '../core/http/http-request';
import { intersectScopes } from '../core/access-policy/scope-names';
import { PermissionResolver, UserAccess } from '../access/permission-resolver';
import { WorkspaceCache } from '../workspaces/workspace-cache';
import { Workspace } from '../workspaces/workspace.entity';
import { Principal } from '../core/context/principal';
import type { RequestContext } from '../core/context/request-context';
import { contextIn } from '../core/context/ctx.decorator';
import { RoutePolicyRegistry } from './route-policy.registry';

/**
 * Link 3: the active workspace and the effective scopes.
 * - Workspace key: its own workspace; an `X-Workspace-ID` naming another is 403.
 * - User token (seed 000): `X-Workspace-ID` if sent (member, or `view_all_locations`, else 403),
 *   else the user's current workspace, else the first they belong to, else none. Effective scopes
 *   are the token's abilities within the user's permissions there.
 * A suspended workspace is 403; a deactivated or deleted user's tokens are 401.
 */
@Injectable()
export class WorkspaceGuard implements CanActivate {
  constructor(
    private readonly policies: RoutePolicyRegistry,
    private readonly workspaces: WorkspaceCache,
    private readonly permissions: PermissionResolver,
  ) {}

  /** Synchronous for a workspace key whose workspace is cached: no promise on the hot path. */
  canActivate(execution: ExecutionContext): boolean | Promise<boolean> {
    const policy = this.policies.of(execution);
    const ctx = contextIn(execution);
    const principal = ctx.principal();
    if (policy.kind === 'public' || policy.kind === 'platform' || !principal) return true;
    const requireWorkspace = policy.requireWorkspace;
    const requested = header(httpRequest(execution), 'x-workspace-id');
    const check = (workspace: Workspace | null): boolean => {
      if (workspace?.status === 'suspended') {
        // A suspended workspace blocks its work, not a person's own credentials: logging out and
        // revoking one's tokens (routes of any valid credential) still work, outside any workspace.
        if (policy.kind !== 'authenticated' || requireWorkspace)
          throw ForbiddenError.because('workspace_suspended');
        ctx.setWorkspace(null, []);
      }
      if (requireWorkspace && !workspace) throw ForbiddenError.because('no_workspace');
      return true;
    };
    if (principal.kind === 'user_token') return this.forUser(ctx, principal, requested).then(check);
    if (requested !== null && requested !== principal.boundWorkspaceId)
      throw ForbiddenError.because('workspace_not_allowed');
    const tenantId = ctx.tenantId();
    const id = principal.boundWorkspaceId ?? '';
    const cached = this.workspaces.peek(tenantId, id);
    if (cached !== undefined) return check(this.forKey(ctx, principal, cached));
    return this.workspaces
      .get(ctx, tenantId, id)
      .then((workspace) => check(this.forKey(ctx, principal, workspace)));
  }

  private forKey(ctx: RequestContext, principal: Principal, workspace: Workspace | null): Workspace {
    if (!workspace) throw new UnauthenticatedError('workspace_gone');
    ctx.setWorkspace(workspace, principal.grantedScopes);
    return workspace;
  }

  private async forUser(
    ctx: RequestContext,
    principal: Principal,
    requested: string | null,
  ): Promise<Workspace | null> {
    const tenantId = ctx.tenantId();
    const access = await this.permissions.access(ctx, tenantId, principal.userId ?? '');
    if (!access || access.status !== 'active') throw new UnauthenticatedError('user_inactive');
    const seesAll = await this.permissions.canSeeAllWorkspaces(ctx, tenantId, access);
    const workspaceId = this.chooseWorkspace(access, requested, seesAll);
    const workspace = workspaceId ? await this.workspaces.get(ctx, tenantId, workspaceId) : null;
    if (requested !== null && !workspace) throw ForbiddenError.because('workspace_not_allowed');
    const permissions = await this.permissions.permissionsIn(ctx, tenantId, access, workspace?.id ?? null);
    ctx.setWorkspace(workspace, intersectScopes(principal.grantedScopes, permissions));
    return workspace;
  }

  private chooseWorkspace(access: UserAccess, requested: string | null, seesAll: boolean): string | null {
    if (requested !== null) {
      if (!access.memberships.has(requested) && !seesAll)
        throw ForbiddenError.because('workspace_not_allowed');
      return requested;
    }
    const current = access.currentWorkspaceId;
    if (current && (access.memberships.has(current) || seesAll)) return current;
    return access.memberships.keys().next().value ?? null;
  }
}
