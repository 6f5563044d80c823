import { SessionsService } from '../sessions/sessions.service';
import { Injectable } from '@nestjs/common';
import { CredentialRecords } from '../api-keys/credential-records';
import { AuditService } from '../audit/audit.service';
import { TransactionRunner } from '../core/database/transaction-runner';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { RequestContext } from '../core/context/request-context';
import { MembershipRecords } from '../access/membership-records';
import { ManageableUsers } from './manageable-users';
import { User } from './user.entity';
import { presentUser } from './user.presenter';
import { UsersRepository } from './users.repository';

/**
 * Deactivation, reactivation and deletion: the changes that cut a user off. Each is published,
 * so the user's cached tokens and permissions are dropped before the next request.
 */
@Injectable()
export class UserLifecycleService {
  constructor(
    private readonly users: UsersRepository,
    private readonly manageable: ManageableUsers,
    private readonly memberships: MembershipRecords,
    private readonly keys: CredentialRecords,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly bus: InvalidationBus,
    private readonly sessions: SessionsService,
  ) {}

  /** Deactivated users cannot log in, and their tokens are 401 from the next request on. */
  setStatus(ctx: RequestContext, id: string, status: User['status']) {
    return this.transactions.exclusive(ctx, (ctx) => this.setStatusChecked(ctx, id, status));
  }

  private async setStatusChecked(ctx: RequestContext, id: string, status: User['status']) {
    const user = await this.manageable.find(ctx, id, 'users:update', { grants: status === 'active' });
    const alsoIn = await this.manageable.reach(ctx, id);
    const updatedAt = new Date();
    await this.transactions.run(ctx, async (ctx) => {
      await this.users.update(ctx, { id }, { status, updatedAt });
      if (status !== 'active') await this.sessions.endAllOf(ctx, id);
      const action = status === 'active' ? 'user.reactivated' : 'user.deactivated';
      await this.audit.record(ctx, {
        action,
        targetType: 'user',
        tenantLevel: true,
        targetId: id,
        alsoIn,
        metadata: { status: { from: user.status, to: status } },
      });
    });
    this.bus.publish(ctx, { type: 'user', tenantId: ctx.tenantId(), userId: id });
    return presentUser({ ...user, status, updatedAt });
  }

  /** Deletes the user with their tokens and memberships (workspace keys belong to workspaces). */
  remove(ctx: RequestContext, id: string): Promise<void> {
    return this.transactions.exclusive(ctx, (ctx) => this.removeChecked(ctx, id));
  }

  private async removeChecked(ctx: RequestContext, id: string): Promise<void> {
    await this.manageable.find(ctx, id, 'users:delete');
    const alsoIn = await this.manageable.reach(ctx, id);
    const tokens = await this.transactions.run(ctx, async (ctx) => {
      const keyIds = await this.keys.deleteAllOfUser(ctx, id);
      await this.memberships.removeAllOfUser(ctx, id);
      await this.users.delete(ctx, { id });
      const metadata = { tokens_deleted: keyIds.length };
      await this.audit.record(ctx, {
        action: 'user.deleted',
        targetType: 'user',
        tenantLevel: true,
        targetId: id,
        alsoIn,
        metadata,
      });
      return keyIds;
    });
    this.bus.publish(ctx, { type: 'user', tenantId: ctx.tenantId(), userId: id });
    for (const keyId of tokens) this.bus.publish(ctx, { type: 'key', keyId });
  }
}
