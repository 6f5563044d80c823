import { Injectable } from '@nestjs/common';
import { Authority } from './authority';
import { PermissionResolver } from './permission-resolver';
import { AuditService } from '../audit/audit.service';
import { DomainError, InvalidInputError } from '../core/errors';
import { AccessErrorCode } from './access.errors';
import { newId } from '../core/common/ids';
import { isUniqueViolation } from '../core/database/db-errors';
import { TransactionRunner } from '../core/database/transaction-runner';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { RequestContext } from '../core/context/request-context';
import { UserDirectory } from '../users/user-directory';
import { isBuiltInRole } from './built-in-roles';
import { CreateRoleDto, UpdateRoleDto } from './dto/role.dto';
import { Role } from './role.entity';
import { presentRole } from './role.presenter';
import { ScopeList } from '../scopes/scope-list';
import { MembershipsRepository } from './memberships.repository';
import { RolesRepository } from './roles.repository';

const TAKEN = 'name has already been taken';

/**
 * Changes to the tenant's own roles (reading them, built-ins included, is RoleDirectory's). Memberships and tenant roles refer to a role by name, so a rename is
 * carried over to them in the same transaction, and every change empties the tenant's permission
 * cache: a role edit takes effect on the next request of every user who holds it.
 */
@Injectable()
export class RolesService {
  constructor(
    private readonly roles: RolesRepository,
    private readonly memberships: MembershipsRepository,
    private readonly users: UserDirectory,
    private readonly scopes: ScopeList,
    private readonly authority: Authority,
    private readonly permissions: PermissionResolver,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly bus: InvalidationBus,
  ) {}

  create(ctx: RequestContext, dto: CreateRoleDto) {
    return this.transactions.exclusive(ctx, (ctx) => this.createChecked(ctx, dto));
  }

  private async createChecked(ctx: RequestContext, dto: CreateRoleDto) {
    this.assertNotReserved(dto.name);
    const permissions = await this.scopes.normalize(ctx, dto.permissions, 'permissions');
    await this.authority.assertMayShapeRole(ctx, null, permissions, dto.name);
    const now = new Date();
    const role: Omit<Role, 'tenantId'> = {
      id: newId('rol'),
      name: dto.name,
      description: dto.description ?? '',
      permissions,
      createdAt: now,
      updatedAt: now,
    };
    await this.unique(() =>
      this.transactions.run(ctx, async (ctx) => {
        if (await this.roles.findOne(ctx, { name: dto.name })) throw InvalidInputError.field('name', TAKEN);
        await this.roles.insert(ctx, role);
        const metadata = { name: role.name, permissions };
        await this.audit.record(ctx, {
          action: 'role.created',
          targetType: 'role',
          tenantLevel: true,
          targetId: role.id,
          metadata,
        });
      }),
    );
    this.changed(ctx);
    return presentRole({ ...role, tenantId: ctx.tenantId() });
  }

  update(ctx: RequestContext, id: string, dto: UpdateRoleDto) {
    return this.transactions.exclusive(ctx, (ctx) => this.updateChecked(ctx, id, dto));
  }

  private async updateChecked(ctx: RequestContext, id: string, dto: UpdateRoleDto) {
    const role = await this.roles.findOneOrFail(ctx, { id });
    const name = dto.name ?? role.name;
    if (name !== role.name) this.assertNotReserved(name);
    const permissions = dto.permissions
      ? await this.scopes.normalize(ctx, dto.permissions, 'permissions')
      : role.permissions;
    // Editing a role that carries more than the caller holds, wherever it is held, would be a way
    // to strip or reshape it; adding permissions would grant them to every holder.
    await this.authority.assertMayShapeRole(ctx, role, permissions, name);
    // Where it is held, found before a rename moves its holders to the new name.
    const alsoIn = (await this.permissions.roleReach(ctx, role.name)).workspaceIds;
    const updated: Role = {
      ...role,
      name,
      permissions,
      description: dto.description ?? role.description,
      updatedAt: new Date(),
    };
    await this.unique(() =>
      this.transactions.run(ctx, async (ctx) => {
        if (name !== role.name && (await this.roles.findOne(ctx, { name })))
          throw InvalidInputError.field('name', TAKEN);
        await this.roles.update(
          ctx,
          { id },
          { name, permissions, description: updated.description, updatedAt: updated.updatedAt },
        );
        if (name !== role.name) await this.rename(ctx, role.name, name);
        const metadata = { name, permissions, previous: { name: role.name, permissions: role.permissions } };
        // In the log of every workspace whose members it changes, too.
        await this.audit.record(ctx, {
          action: 'role.updated',
          targetType: 'role',
          tenantLevel: true,
          targetId: id,
          alsoIn,
          metadata,
        });
      }),
    );
    this.changed(ctx);
    return presentRole(updated);
  }

  /**
   * A role still held by someone is 409, not silently removed: deleting it would strip those
   * users' permissions as a side effect. Reassign them first; the request itself was valid, the
   * state of the tenant is what conflicts, hence 409 rather than 422.
   */
  remove(ctx: RequestContext, id: string): Promise<void> {
    return this.transactions.exclusive(ctx, (ctx) => this.removeChecked(ctx, id));
  }

  private async removeChecked(ctx: RequestContext, id: string): Promise<void> {
    const role = await this.roles.findOneOrFail(ctx, { id });
    await this.authority.assertMayShapeRole(ctx, role, []);
    await this.transactions.run(ctx, async (ctx) => {
      const holders =
        (await this.memberships.count(ctx, { role: role.name })) +
        (await this.users.countWithTenantRole(ctx, role.name));
      if (holders > 0)
        throw new DomainError(
          AccessErrorCode.RoleInUse,
          `The role is held by ${holders} membership(s) or user(s); reassign them first.`,
        );
      await this.roles.delete(ctx, { id });
      await this.audit.record(ctx, {
        action: 'role.deleted',
        targetType: 'role',
        tenantLevel: true,
        targetId: id,
        metadata: { name: role.name },
      });
    });
    this.changed(ctx);
  }

  private assertNotReserved(name: string): void {
    if (isBuiltInRole(name))
      throw InvalidInputError.field('name', `"${name}" is a built-in role and cannot be redefined`);
  }

  private async rename(ctx: RequestContext, from: string, to: string): Promise<void> {
    const now = new Date();
    await this.memberships.update(ctx, { role: from }, { role: to, updatedAt: now });
    await this.users.renameTenantRole(ctx, from, to, now);
  }

  private async unique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw InvalidInputError.field('name', TAKEN);
      throw error;
    }
  }

  private changed(ctx: RequestContext): void {
    this.bus.publish(ctx, { type: 'roles', tenantId: ctx.tenantId() });
  }
}
