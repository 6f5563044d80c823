import { Injectable } from '@nestjs/common';
import { Authority } from '../access/authority';
import { PermissionResolver } from '../access/permission-resolver';
import { InvalidInputError } from '../core/errors';
import { RequestContext } from '../core/context/request-context';
import { RoleDirectory } from '../access/role-directory';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

/**
 * The user a change targets, once the change is allowed: 404 for another tenant's id (scoped
 * repository), 422 for an unknown role or on oneself when the change could lock the caller out
 * (deactivate, delete, tenant role), and Authority's 403 unless the caller holds everything the
 * user holds wherever the user reaches (and all of a new tenant role, everywhere).
 */
@Injectable()
export class ManageableUsers {
  constructor(
    private readonly users: UsersRepository,
    private readonly roles: RoleDirectory,
    private readonly permissions: PermissionResolver,
    private readonly authority: Authority,
  ) {}

  async find(
    ctx: RequestContext,
    id: string,
    scope: string,
    options: {
      selfAllowed?: boolean;
      tenantRole?: string | null;
      setsPassword?: boolean;
      changesIdentity?: boolean;
      grants?: boolean;
    } = {},
  ): Promise<User> {
    const user = await this.users.findOneOrFail(ctx, { id });
    const { selfAllowed = false, tenantRole } = options;
    if (!selfAllowed && ctx.principal()?.userId === id) {
      throw InvalidInputError.field(
        'id',
        'You cannot deactivate, delete or demote your own user; ask another administrator.',
      );
    }
    if (tenantRole) await this.roles.assertExists(ctx, tenantRole, 'tenant_role');
    const access = await this.permissions.access(ctx, ctx.tenantId(), id);
    await this.authority.assertMayManageUser(ctx, access, { scope, ...options });
    return user;
  }

  /** A new user: no one to out-rank yet, only the tenant role it would get. */
  async assertMayCreate(ctx: RequestContext, tenantRole: string | null | undefined): Promise<void> {
    if (tenantRole) await this.roles.assertExists(ctx, tenantRole, 'tenant_role');
    await this.authority.assertMayManageUser(ctx, null, {
      scope: 'users:create',
      tenantRole,
      setsPassword: true,
    });
  }

  /** Every workspace the user's permissions apply in: where an audit row about them belongs. */
  async reach(ctx: RequestContext, id: string): Promise<string[]> {
    const access = await this.permissions.access(ctx, ctx.tenantId(), id);
    return access ? this.permissions.workspacesOf(ctx, access) : [];
  }
}
