import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { TransactionRunner } from '../core/database/transaction-runner';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { ApiKey } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import type { RequestContext } from '../core/context/request-context';

/**
 * Taking one credential out of service, the same way for keys and tokens: the row is revoked
 * (kept, for its history) or deleted, with its audit row in the same transaction, and then every
 * instance's cache forgets it, so it stops working on the very next request.
 */
@Injectable()
export class CredentialRetirement {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly bus: InvalidationBus,
  ) {}

  /** Revokes `row` now; returns the revocation time. */
  async revoke(ctx: RequestContext, row: ApiKey, action: string): Promise<Date> {
    const revokedAt = new Date();
    // Only a key not yet revoked: of two revocations at once, one writes the row and its audit row.
    await this.retire(ctx, row, action, (ctx) =>
      this.keys.update(ctx, { id: row.id, revokedAt: IsNull() }, { revokedAt, updatedAt: revokedAt }),
    );
    return revokedAt;
  }

  delete(ctx: RequestContext, row: ApiKey, action: string): Promise<void> {
    return this.retire(ctx, row, action, (ctx) => this.keys.delete(ctx, { id: row.id }));
  }

  private async retire(
    ctx: RequestContext,
    row: ApiKey,
    action: string,
    /**
     * The change itself, given the transaction's context (not the caller's: it runs inside); it
     * returns the rows it changed, and none (another request got there first) writes no audit row.
     */
    write: (ctx: RequestContext) => Promise<number>,
  ): Promise<void> {
    const targetType = row.kind === 'user_token' ? 'user_token' : 'api_key';
    await this.transactions.run(ctx, async (ctx) => {
      if ((await write(ctx)) === 0) return;
      await this.audit.record(ctx, { action, targetType, targetId: row.id, metadata: { name: row.name } });
    });
    this.bus.publish(ctx, { type: 'key', keyId: row.keyId });
  }
}
