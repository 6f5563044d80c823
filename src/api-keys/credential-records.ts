import { Injectable } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';
import type { RequestContext } from '../core/context/request-context';

/**
 * Credential rows as other features' cascades need them: a deleted user takes their tokens, a
 * deleted workspace its keys. Returns the public key ids, so the caller can publish them on the
 * invalidation bus once its transaction has committed.
 */
@Injectable()
export class CredentialRecords {
  constructor(private readonly keys: ApiKeysRepository) {}

  async deleteAllOfUser(ctx: RequestContext, userId: string): Promise<string[]> {
    const rows = await this.keys.find(ctx, { userId });
    await this.keys.delete(ctx, { userId });
    return rows.map((row) => row.keyId);
  }

  async deleteAllInWorkspace(ctx: RequestContext, workspaceId: string): Promise<string[]> {
    const rows = await this.keys.find(ctx, { workspaceId });
    await this.keys.delete(ctx, { workspaceId });
    return rows.map((row) => row.keyId);
  }
}
