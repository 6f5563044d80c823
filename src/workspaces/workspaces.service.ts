import { Injectable } from '@nestjs/common';
import { CredentialRecords } from '../api-keys/credential-records';
import { Authority } from '../access/authority';
import { PermissionResolver } from '../access/permission-resolver';
import { AuditService } from '../audit/audit.service';
import { newId } from '../core/common/ids';
import { PageQueryDto } from '../core/common/pagination';
import { keysetPage } from '../core/database/keyset-page';
import { TransactionRunner } from '../core/database/transaction-runner';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { RequestContext } from '../core/context/request-context';
import { UserDirectory } from '../users/user-directory';
import { WorkspaceAccess } from './workspace-access';
import { Workspace, WorkspaceStatus } from './workspace.entity';
import { presentWorkspace } from './workspace.presenter';
import { WorkspacesRepository } from './workspaces.repository';
import { MembershipRecords } from '../access/membership-records';

/** Workspaces of the request's tenant. Every change commits with its audit row. */
@Injectable()
export class WorkspacesService {
  constructor(
    private readonly workspaces: WorkspacesRepository,
    private readonly memberships: MembershipRecords,
    private readonly users: UserDirectory,
    private readonly keys: CredentialRecords,
    private readonly access: WorkspaceAccess,
    private readonly authority: Authority,
    private readonly permissions: PermissionResolver,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly bus: InvalidationBus,
  ) {}

  /** Only the workspaces the caller can enter, unless it may see them all (view_all_locations). */
  async list(ctx: RequestContext, query: PageQueryDto) {
    const visible = await this.access.visibleIds(ctx);
    if (visible?.length === 0) return { data: [], next_cursor: null };
    const qb = this.workspaces.queryBuilder(ctx, 'w');
    if (visible) qb.andWhere('w.id IN (:...visible)', { visible });
    return keysetPage(qb, 'w', query, presentWorkspace);
  }

  /** The workspace (404 for another tenant's id), once the caller may use `scope` in it (403). */
  async find(ctx: RequestContext, id: string, scope: string): Promise<Workspace> {
    const workspace = await this.workspaces.findOneOrFail(ctx, { id });
    // The guard checked the scope in the ACTIVE workspace; acting on this one needs it here too,
    // or an admin of one workspace could suspend or re-staff every other.
    await this.authority.assertScopeIn(ctx, id, scope);
    return workspace;
  }

  async create(ctx: RequestContext, name: string) {
    this.authority.assertMayChangeTenantData(ctx);
    const now = new Date();
    const workspace = await this.transactions.run(ctx, async (ctx) => {
      const row = await this.workspaces.insert(ctx, {
        id: newId('ws'),
        name,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      });
      await this.audit.record(ctx, {
        action: 'workspace.created',
        targetType: 'workspace',
        tenantLevel: true,
        targetId: row.id,
        workspaceId: row.id,
        alsoIn: this.actorWorkspace(ctx),
        metadata: { name },
      });
      return row;
    });
    return presentWorkspace(workspace);
  }

  async rename(ctx: RequestContext, id: string, name: string) {
    this.authority.assertMayChangeTenantData(ctx);
    const workspace = await this.find(ctx, id, 'workspaces:update');
    const updated = { ...workspace, name, updatedAt: new Date() };
    await this.transactions.run(ctx, async (ctx) => {
      await this.workspaces.update(ctx, { id }, { name, updatedAt: updated.updatedAt });
      await this.audit.record(ctx, {
        action: 'workspace.updated',
        targetType: 'workspace',
        tenantLevel: true,
        targetId: id,
        workspaceId: id,
        alsoIn: this.actorWorkspace(ctx),
        metadata: { name },
      });
    });
    this.bus.publish(ctx, { type: 'workspace', workspaceId: id });
    return presentWorkspace(updated);
  }

  /** Suspend or resume; the guard reads workspaces from a cache, so it is told at once. */
  async setStatus(ctx: RequestContext, id: string, status: WorkspaceStatus) {
    this.authority.assertMayChangeTenantData(ctx);
    const workspace = await this.find(ctx, id, 'workspaces:update');
    const updated = { ...workspace, status, updatedAt: new Date() };
    await this.transactions.run(ctx, async (ctx) => {
      await this.workspaces.update(ctx, { id }, { status, updatedAt: updated.updatedAt });
      const action = status === 'suspended' ? 'workspace.suspended' : 'workspace.resumed';
      await this.audit.record(ctx, {
        action,
        targetType: 'workspace',
        tenantLevel: true,
        targetId: id,
        workspaceId: id,
        alsoIn: this.actorWorkspace(ctx),
      });
    });
    this.bus.publish(ctx, { type: 'workspace', workspaceId: id });
    return presentWorkspace(updated);
  }

  /**
   * Deletes the workspace with its memberships and its workspace keys (a key bound to nothing
   * must not linger), and clears it as anyone's current workspace.
   */
  remove(ctx: RequestContext, id: string): Promise<void> {
    return this.transactions.exclusive(ctx, (ctx) => this.removeChecked(ctx, id));
  }

  private async removeChecked(ctx: RequestContext, id: string): Promise<void> {
    this.authority.assertMayChangeTenantData(ctx);
    await this.find(ctx, id, 'workspaces:delete');
    await this.authority.assertMayDeleteWorkspace(
      ctx,
      id,
      await this.permissions.membersOf(ctx, ctx.tenantId(), id),
    );
    const keys = await this.transactions.run(ctx, async (ctx) => {
      const bound = await this.keys.deleteAllInWorkspace(ctx, id);
      await this.memberships.removeAllInWorkspace(ctx, id);
      await this.users.clearCurrentWorkspace(ctx, id);
      await this.workspaces.delete(ctx, { id });
      const metadata = { keys_deleted: bound.length };
      await this.audit.record(ctx, {
        action: 'workspace.deleted',
        targetType: 'workspace',
        tenantLevel: true,
        targetId: id,
        metadata,
      });
      return bound;
    });
    this.bus.publish(ctx, { type: 'workspace', workspaceId: id });
    this.bus.publish(ctx, { type: 'roles', tenantId: ctx.tenantId() });
    for (const keyId of keys) this.bus.publish(ctx, { type: 'key', keyId });
  }

  /** The caller's own workspace sees what it did to another one. */
  private actorWorkspace(ctx: RequestContext): string[] {
    const active = ctx.workspace()?.id;
    return active ? [active] : [];
  }
}
