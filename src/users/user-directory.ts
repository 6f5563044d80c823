import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';
import type { RequestContext } from '../core/context/request-context';

/**
 * The users feature's rows as other features may read and touch them: permissions (access), the
 * members list and role renames (access), provisioning (tenants), workspace deletion. Changes a
 * caller asks for go through UsersService and the authorization rule, never through here.
 */
@Injectable()
export class UserDirectory {
  constructor(private readonly users: UsersRepository) {}

  find(ctx: RequestContext, id: string): Promise<User | null> {
    return this.users.findOne(ctx, { id });
  }

  findMany(ctx: RequestContext, ids: readonly string[]): Promise<User[]> {
    return ids.length > 0 ? this.users.find(ctx, { id: In([...ids]) }) : Promise.resolve([]);
  }

  /** Lower-cased email → user id, for those of `emails` that are users of the tenant (imports). */
  async findByEmails(ctx: RequestContext, emails: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(emails.map((e) => e.toLowerCase()))];
    const out = new Map<string, string>();
    for (let i = 0; i < wanted.length; i += 500) {
      for (const user of await this.users.find(ctx, { email: In(wanted.slice(i, i + 500)) }))
        out.set(user.email, user.id);
    }
    return out;
  }

  /** A tenant's first user (provisioning); everyone else is created by UsersService. */
  insert(ctx: RequestContext, user: Omit<User, 'tenantId'>): Promise<User> {
    return this.users.insert(ctx, user);
  }

  countWithTenantRole(ctx: RequestContext, role: string): Promise<number> {
    return this.users.count(ctx, { tenantRole: role });
  }

  /** A role was renamed: the users holding it tenant-wide follow (same transaction as the rename). */
  async renameTenantRole(ctx: RequestContext, from: string, to: string, now: Date): Promise<void> {
    await this.users.update(ctx, { tenantRole: from }, { tenantRole: to, updatedAt: now });
  }

  /** A workspace is being deleted: it is nobody's current workspace any more. */
  async clearCurrentWorkspace(ctx: RequestContext, workspaceId: string): Promise<void> {
    await this.users.update(ctx, { currentWorkspaceId: workspaceId }, { currentWorkspaceId: null });
  }
}
