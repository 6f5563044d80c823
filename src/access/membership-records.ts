import { Injectable } from '@nestjs/common';
import { MembershipsRepository } from './memberships.repository';
import type { RequestContext } from '../core/context/request-context';

/**
 * Membership rows as other features' cascades need them: a deleted user or workspace takes its
 * memberships along, and a new tenant starts with its owner. No caller is checked here: these run
 * inside a change the caller was already authorized for (or provisioning, which has no caller).
 * Memberships a caller asks for go through MembersService and Authority.
 */
@Injectable()
export class MembershipRecords {
  constructor(private readonly memberships: MembershipsRepository) {}

  async removeAllOfUser(ctx: RequestContext, userId: string): Promise<void> {
    await this.memberships.delete(ctx, { userId });
  }

  async removeAllInWorkspace(ctx: RequestContext, workspaceId: string): Promise<void> {
    await this.memberships.delete(ctx, { workspaceId });
  }

  async seed(
    ctx: RequestContext,
    row: {
      id: string;
      workspaceId: string;
      userId: string;
      role: string;
      createdAt: Date;
      updatedAt: Date;
    },
  ): Promise<void> {
    await this.memberships.insert(ctx, row);
  }
}
