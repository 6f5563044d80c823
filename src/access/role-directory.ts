import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../core/errors';
import { RequestContext } from '../core/context/request-context';
import { BUILT_IN_ROLES, isBuiltInRole } from './built-in-roles';
import { PermissionResolver } from './permission-resolver';
import { presentBuiltInRole, presentRole } from './role.presenter';
import { RolesRepository } from './roles.repository';

/**
 * Roles as others read them: the list with the built-ins, and role names as memberships and a
 * user's tenant role use them: does the name exist. Who may hand a role out is Authority's rule.
 */
@Injectable()
export class RoleDirectory {
  constructor(
    private readonly roles: RolesRepository,
    private readonly permissions: PermissionResolver,
  ) {}

  /** Built-in roles first (with the permissions they resolve to here), then the tenant's. */
  async list(ctx: RequestContext) {
    const builtIns = Object.entries(BUILT_IN_ROLES).map(([name, role]) =>
      this.builtIn(ctx, name, role.description),
    );
    const custom = await this.roles.find(ctx, {}, { order: { name: 'ASC' } });
    return { data: [...(await Promise.all(builtIns)), ...custom.map(presentRole)] };
  }

  /** By id, or a built-in role by name (`GET /roles/admin`). */
  async get(ctx: RequestContext, idOrName: string) {
    const builtIn = isBuiltInRole(idOrName) ? BUILT_IN_ROLES[idOrName] : undefined;
    if (builtIn) return this.builtIn(ctx, idOrName, builtIn.description);
    return presentRole(await this.roles.findOneOrFail(ctx, { id: idOrName }));
  }

  /** 422 on `field` unless `name` is a built-in role or one of the tenant's own roles. */
  async assertExists(ctx: RequestContext, name: string, field: string): Promise<void> {
    if (isBuiltInRole(name) || (await this.roles.findOne(ctx, { name }))) return;
    const builtIns = Object.keys(BUILT_IN_ROLES).join(', ');
    throw InvalidInputError.field(
      field,
      `${field} must be a built-in role (${builtIns}) or a role created at /roles`,
    );
  }

  private async builtIn(ctx: RequestContext, name: string, description: string) {
    return presentBuiltInRole(
      name,
      description,
      await this.permissions.rolePermissions(ctx, ctx.tenantId(), name),
    );
  }
}
