import { IsNull } from 'typeorm';
import { Injectable } from '@nestjs/common';
import { Authority } from '../access/authority';
import { AuditService } from '../audit/audit.service';
import { DomainError, NotFoundError } from '../core/errors';
import { ApiKeyErrorCode } from './api-key.errors';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { isUniqueViolation } from '../core/database/db-errors';
import { TransactionRunner } from '../core/database/transaction-runner';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { RequestContext } from '../core/context/request-context';
import { ApiKey } from './api-key.entity';
import { keyStatus, presentKey } from './api-key.presenter';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService, assertNotOauthToken } from './api-keys.service';
import { termsOf } from './credential-terms';
import { CredentialRetirement } from './credential-retirement';
import { KeyIssuer } from './key-issuer';
import { parseKey } from './key-format';
import { KeyHasher } from './key-hasher';

/** Rotation with a grace period, and revocation (by id, or by the leaked plaintext itself). */
@Injectable()
export class KeyRotationService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly apiKeys: ApiKeysService,
    private readonly issuer: KeyIssuer,
    private readonly hasher: KeyHasher,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly bus: InvalidationBus,
    private readonly authority: Authority,
    private readonly retirement: CredentialRetirement,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  /**
   * A new key with every setting of the old one; the old one keeps working for the grace period
   * (never past its own expiry; 0 = revoked at once). A key has at most one successor: the
   * unique index on rotated_from_id makes concurrent rotations produce one winner and 409s.
   */
  async rotate(ctx: RequestContext, id: string, graceSeconds = this.config.rotationGraceSeconds) {
    const old = await this.apiKeys.find(ctx, id);
    assertNotOauthToken(old);
    if (keyStatus(old) !== 'active') {
      throw new DomainError(ApiKeyErrorCode.NotActive, 'Only an active key can be rotated.');
    }
    // The successor's secret goes to the caller: as much an issue of this key as creating it.
    await this.authority.assertMayShapeCredential(ctx, termsOf(old, this.config));
    if (old.supersededAt || (await this.keys.findOne(ctx, { rotatedFromId: old.id })))
      throw new DomainError(ApiKeyErrorCode.AlreadyRotated, 'This key has already been rotated.');
    const now = Date.now();
    try {
      const result = await this.transactions.run(ctx, async (ctx) => {
        const { row, key } = await this.issuer.issue(ctx, {
          ...this.settingsOf(old),
          rotatedFromId: old.id,
          lineageId: old.lineageId ?? old.id,
          createdBy: ctx.principal()?.credentialId ?? null,
        });
        const graceEnd = Math.min(now + graceSeconds * 1000, old.expiresAt?.getTime() ?? Infinity);
        const oldPatch =
          graceSeconds === 0 ? { revokedAt: new Date(now) } : { expiresAt: new Date(graceEnd) };
        // Only if the key is still as it was read: revoked, deleted or rotated meanwhile (a
        // request racing this one), it gets no heir, and the successor above is rolled back.
        const superseded = await this.keys.update(
          ctx,
          { id: old.id, revokedAt: IsNull(), supersededAt: IsNull() },
          { ...oldPatch, supersededAt: new Date(now), updatedAt: new Date(now) },
        );
        if (superseded === 0)
          throw new DomainError(ApiKeyErrorCode.NotActive, 'Only an active key can be rotated.');
        await this.audit.record(ctx, {
          action: 'api_key.created',
          targetType: 'api_key',
          targetId: row.id,
          metadata: { name: row.name, rotated_from_id: old.id },
        });
        await this.audit.record(ctx, {
          action: 'api_key.rotated',
          targetType: 'api_key',
          targetId: old.id,
          metadata: { successor_id: row.id, grace_period_seconds: graceSeconds },
        });
        return { ...presentKey(row), key, old_key: presentKey({ ...old, ...oldPatch }) };
      });
      this.bus.publish(ctx, { type: 'key', keyId: old.keyId });
      return result;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainError(ApiKeyErrorCode.AlreadyRotated, 'This key has already been rotated.');
      throw error;
    }
  }

  async revoke(ctx: RequestContext, id: string) {
    return presentKey(await this.revokeRow(ctx, await this.apiKeys.find(ctx, id)));
  }

  /** For leak reports: revoke the key whose plaintext was found, in the active workspace. */
  async revokeByValue(ctx: RequestContext, plaintext: string) {
    const parsed = parseKey(plaintext.trim());
    if (!parsed || parsed.kind !== 'workspace_key') throw new NotFoundError();
    const row = await this.keys.findWithHash(ctx, parsed.keyId);
    if (!row || !this.hasher.matches(plaintext.trim(), row.secretHash)) throw new NotFoundError();
    return presentKey(await this.revokeRow(ctx, await this.apiKeys.find(ctx, row.id)));
  }

  private async revokeRow(ctx: RequestContext, row: ApiKey): Promise<ApiKey> {
    if (row.revokedAt && row.revokedAt.getTime() <= Date.now()) return row;
    return { ...row, revokedAt: await this.retirement.revoke(ctx, row, 'api_key.revoked') };
  }

  private settingsOf(old: ApiKey) {
    return {
      kind: old.kind,
      name: old.name,
      workspaceId: old.workspaceId,
      userId: old.userId,
      environment: old.environment,
      scopes: old.scopes,
      ipAllowlist: old.ipAllowlist,
      expiresAt: old.expiresAt,
      rateLimitTier: old.rateLimitTier,
      rateLimitLimit: old.rateLimitLimit,
      rateLimitWindowSeconds: old.rateLimitWindowSeconds,
    };
  }
}
