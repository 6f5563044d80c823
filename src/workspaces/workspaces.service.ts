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
    private readonly context: RequestContext,
  ) {}

  /** Only the workspaces the caller can enter, unless it may see them all (view_all_locations). */
  async list(query: PageQueryDto) {
    const visible = await this.access.visibleIds();
    if (visible?.length === 0) return { data: [], next_cursor: null };
    const qb = this.workspaces.queryBuilder('w');
    if (visible) qb.andWhere('w.id IN (:...visible)', { visible });
    return keysetPage(qb, 'w', query, presentWorkspace);
  }

  /** The workspace (404 for another tenant's id), once the caller may use `scope` in it (403). */
  async find(id: string, scope: string): Promise<Workspace> {
    const workspace = await this.workspaces.findOneOrFail({ id });
    // The guard checked the scope in the ACTIVE workspace; acting on this one needs it here too,
    // or an admin of one workspace could suspend or re-staff every other.
    await this.authority.assertScopeIn(id, scope);
    return workspace;
  }

  async create(name: string) {
    this.authority.assertMayChangeTenantData();
    const now = new Date();
    const workspace = await this.transactions.run(async () => {
      const row = await this.workspaces.insert({
        id: newId('ws'),
        name,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      });
      await this.audit.record({
        action: 'workspace.created',
        targetType: 'workspace',
        tenantLevel: true,
        targetId: row.id,
        workspaceId: row.id,
        alsoIn: this.actorWorkspace(),
        metadata: { name },
      });
      return row;
    });
    return presentWorkspace(workspace);
  }

  async rename(id: string, name: string) {
    this.authority.assertMayChangeTenantData();
    const workspace = await this.find(id, 'workspaces:update');
    const updated = { ...workspace, name, updatedAt: new Date() };
    await this.transactions.run(async () => {
      await this.workspaces.update({ id }, { name, updatedAt: updated.updatedAt });
      await this.audit.record({
        action: 'workspace.updated',
        targetType: 'workspace',
        tenantLevel: true,
        targetId: id,
        workspaceId: id,
        alsoIn: this.actorWorkspace(),
        metadata: { name },
      });
    });
    this.bus.publish({ type: 'workspace', workspaceId: id });
    return presentWorkspace(updated);
  }

  /** Suspend or resume; the guard reads workspaces from a cache, so it is told at once. */
  async setStatus(id: string, status: WorkspaceStatus) {
    this.authority.assertMayChangeTenantData();
    const workspace = await this.find(id, 'workspaces:update');
    const updated = { ...workspace, status, updatedAt: new Date() };
    await this.transactions.run(async () => {
      await this.workspaces.update({ id }, { status, updatedAt: updated.updatedAt });
      const action = status === 'suspended' ? 'workspace.suspended' : 'workspace.resumed';
      await this.audit.record({
        action,
        targetType: 'workspace',
        tenantLevel: true,
        targetId: id,
        workspaceId: id,
        alsoIn: this.actorWorkspace(),
      });
    });
    this.bus.publish({ type: 'workspace', workspaceId: id });
    return presentWorkspace(updated);
  }

  /**
   * Deletes the workspace with its memberships and its workspace keys (a key bound to nothing
   * must not linger), and clears it as anyone's current workspace.
   */
  remove(id: string): Promise<void> {
    return this.transactions.exclusive(() => this.removeChecked(id));
  }

  private async removeChecked(id: string): Promise<void> {
    this.authority.assertMayChangeTenantData();
    await this.find(id, 'workspaces:delete');
    await this.authority.assertMayDeleteWorkspace(
      id,
      await this.permissions.membersOf(this.context.tenantId(), id),
    );
    const keys = await this.transactions.run(async () => {
      const bound = await this.keys.deleteAllInWorkspace(id);
      await this.memberships.removeAllInWorkspace(id);
      await this.users.clearCurrentWorkspace(id);
      await this.workspaces.delete({ id });
      const metadata = { keys_deleted: bound.length };
      await this.audit.record({
        action: 'workspace.deleted',
        targetType: 'workspace',
        tenantLevel: true,
        targetId: id,
        metadata,
      });
      return bound;
    });
    this.bus.publish({ type: 'workspace', workspaceId: id });
    this.bus.publish({ type: 'roles', tenantId: this.context.tenantId() });
    for (const keyId of keys) this.bus.publish({ type: 'key', keyId });
  }

  /** The caller's own workspace sees what it did to another one. */
  private actorWorkspace(): string[] {
    const active = this.context.workspace()?.id;
    return active ? [active] : [];
  }
}
