import { Injectable } from '@nestjs/common';
import { ForbiddenError, InvalidInputError } from '../common/errors';
import { RequestContext } from '../pipeline/request-context';
import { coveredByAny } from '../scopes/scope-names';
import { BUILT_IN_ROLES, isBuiltInRole } from './built-in-roles';
import { PermissionResolver } from './permission-resolver';
import { presentBuiltInRole, presentRole } from './role.presenter';
import { RolesRepository } from './workspaces.repository';

/**
 * Roles as others read them: the list with the built-ins, and role names as memberships and a
 * user's tenant role use them: does the name exist, and may the caller hand it out. A role is a bundle of permissions, so granting one is granting
 * scopes, and no credential may grant more than it holds.
 */
@Injectable()
export class RoleDirectory {
  constructor(
    private readonly roles: RolesRepository,
    private readonly permissions: PermissionResolver,
    private readonly context: RequestContext,
  ) {}

  /** Built-in roles first (with the permissions they resolve to here), then the tenant's. */
  async list() {
    const builtIns = Object.entries(BUILT_IN_ROLES).map(([name, role]) =>
      this.builtIn(name, role.description),
    );
    const custom = await this.roles.find({}, { order: { name: 'ASC' } });
    return { data: [...(await Promise.all(builtIns)), ...custom.map(presentRole)] };
  }

  /** By id, or a built-in role by name (`GET /roles/admin`). */
  async get(idOrName: string) {
    const builtIn = isBuiltInRole(idOrName) ? BUILT_IN_ROLES[idOrName] : undefined;
    if (builtIn) return this.builtIn(idOrName, builtIn.description);
    return presentRole(await this.roles.findOneOrFail({ id: idOrName }));
  }

  /** 422 on `field` unless `name` is a built-in role or one of the tenant's own roles. */
  async assertExists(name: string, field: string): Promise<void> {
    if (isBuiltInRole(name) || (await this.roles.findOne({ name }))) return;
    const builtIns = Object.keys(BUILT_IN_ROLES).join(', ');
    throw InvalidInputError.field(
      field,
      `${field} must be a built-in role (${builtIns}) or a role created at /roles`,
    );
  }

  /** Checks existence, then that the caller holds every permission the role carries (else 403). */
  async assertCanGrant(name: string, field: string): Promise<void> {
    await this.assertExists(name, field);
    assertHoldsAll(
      await this.permissions.rolePermissions(this.context.tenantId(), name),
      this.context.effectiveScopes(),
    );
  }

  private async builtIn(name: string, description: string) {
    return presentBuiltInRole(
      name,
      description,
      await this.permissions.rolePermissions(this.context.tenantId(), name),
    );
  }

  /**
   * Acting on a user whose tenant role carries more than the caller holds (an admin deactivating
   * the owner) is refused the same way: otherwise the weaker account could lock out the stronger.
   */
  async assertOutranks(tenantRole: string | null): Promise<void> {
    if (!tenantRole) return;
    assertHoldsAll(
      await this.permissions.rolePermissions(this.context.tenantId(), tenantRole),
      this.context.effectiveScopes(),
    );
  }
}

/** 403 unless every scope of `wanted` is covered by one of `held` (wildcards included). */
export function assertHoldsAll(wanted: readonly string[], held: readonly string[]): void {
  if (wanted.some((scope) => !coveredByAny(held, scope))) throw new ForbiddenError();
}
