import { Injectable } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';
import { KeyIssuer } from './key-issuer';
import { KeySettings } from './key-settings';
import { AuditService } from '../audit/audit.service';
import { PageQueryDto } from '../core/common/pagination';
import { keysetPage } from '../core/database/keyset-page';
import { TransactionRunner } from '../core/database/transaction-runner';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { RequestContext } from '../core/context/request-context';
import { Authority } from '../access/authority';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { currentUser } from '../core/context/current-user';
import { CreateUserTokenDto } from './dto/user-token.dto';
import { presentUserToken } from './user-token.presenter';
import { CredentialRetirement } from './credential-retirement';

/**
 * A user's personal access tokens (Sanctum's `$user->tokens()`), always the caller's own.
 * Revoking deletes the row, as Sanctum does, and drops the token from the key cache at once.
 */
@Injectable()
export class UserTokensService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly issuer: KeyIssuer,
    private readonly settings: KeySettings,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly bus: InvalidationBus,
    private readonly authority: Authority,
    private readonly retirement: CredentialRetirement,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  async list(ctx: RequestContext, query: PageQueryDto) {
    const me = currentUser(ctx);
    const qb = this.keys
      .queryBuilder(ctx, 'k')
      .andWhere('k.userId = :userId', { userId: me.userId })
      .andWhere('k.kind = :kind', { kind: 'user_token' });
    return keysetPage(qb, 'k', query, (k) => presentUserToken(k, me.credentialId));
  }

  async create(ctx: RequestContext, dto: CreateUserTokenDto) {
    const me = currentUser(ctx);
    const abilities = await this.settings.scopes(ctx, dto.abilities ?? ['*'], 'abilities');
    const expiresAt = this.settings.expiry(dto.expires_at, this.authority.expiryCap(ctx));
    const terms = {
      kind: 'user_token' as const,
      environment: me.environment,
      workspaceId: null,
      scopes: abilities,
      allowlist: [],
    };
    await this.authority.assertMayShapeCredential(ctx, {
      ...terms,
      expiresAt: expiresAt?.getTime() ?? null,
      budget: this.config.rateLimitDefault,
    });
    const issued = await this.transactions.run(ctx, async (ctx) => {
      const token = await this.issuer.issue(ctx, {
        kind: 'user_token',
        name: dto.name,
        workspaceId: null,
        userId: me.userId,
        environment: me.environment,
        scopes: abilities,
        expiresAt,
        createdBy: me.credentialId,
      });
      await this.audit.record(ctx, {
        action: 'user_token.created',
        targetType: 'user_token',
        targetId: token.row.id,
        metadata: { name: dto.name, abilities },
      });
      return token;
    });
    return { ...presentUserToken(issued.row, me.credentialId), token: issued.key };
  }

  /** 404 for anyone else's token: a user only ever sees their own. */
  async revoke(ctx: RequestContext, id: string): Promise<void> {
    const me = currentUser(ctx);
    const token = await this.keys.findOneOrFail(ctx, { id, userId: me.userId, kind: 'user_token' });
    // Deleted, as Sanctum does, rather than kept revoked.
    await this.retirement.delete(ctx, token, 'user_token.revoked');
  }

  /** Logout: the token this request came with. */
  revokeCurrent(ctx: RequestContext): Promise<void> {
    return this.revoke(ctx, currentUser(ctx).credentialId);
  }

  /** Every token of the caller, the current one included. */
  async revokeAll(ctx: RequestContext): Promise<void> {
    const me = currentUser(ctx);
    const tokens = await this.transactions.run(ctx, async (ctx) => {
      const rows = await this.keys.find(ctx, { userId: me.userId, kind: 'user_token' });
      await this.keys.delete(ctx, { userId: me.userId, kind: 'user_token' });
      await this.audit.record(ctx, {
        action: 'user_token.revoked_all',
        targetType: 'user',
        targetId: me.userId,
        metadata: { count: rows.length },
      });
      return rows;
    });
    for (const token of tokens) this.bus.publish(ctx, { type: 'key', keyId: token.keyId });
  }
}
