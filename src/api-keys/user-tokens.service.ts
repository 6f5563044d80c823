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
    private readonly context: RequestContext,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  async list(query: PageQueryDto) {
    const me = currentUser(this.context);
    const qb = this.keys
      .queryBuilder('k')
      .andWhere('k.userId = :userId', { userId: me.userId })
      .andWhere('k.kind = :kind', { kind: 'user_token' });
    return keysetPage(qb, 'k', query, (k) => presentUserToken(k, me.credentialId));
  }

  async create(dto: CreateUserTokenDto) {
    const me = currentUser(this.context);
    const abilities = await this.settings.scopes(dto.abilities ?? ['*'], 'abilities');
    const expiresAt = this.settings.expiry(dto.expires_at, this.authority.expiryCap());
    const terms = {
      kind: 'user_token' as const,
      environment: me.environment,
      workspaceId: null,
      scopes: abilities,
      allowlist: [],
    };
    await this.authority.assertMayShapeCredential({
      ...terms,
      expiresAt: expiresAt?.getTime() ?? null,
      budget: this.config.rateLimitDefault,
    });
    const issued = await this.transactions.run(async () => {
      const token = await this.issuer.issue({
        kind: 'user_token',
        name: dto.name,
        workspaceId: null,
        userId: me.userId,
        environment: me.environment,
        scopes: abilities,
        expiresAt,
        createdBy: me.credentialId,
      });
      await this.audit.record({
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
  async revoke(id: string): Promise<void> {
    const me = currentUser(this.context);
    const token = await this.keys.findOneOrFail({ id, userId: me.userId, kind: 'user_token' });
    // Deleted, as Sanctum does, rather than kept revoked.
    await this.retirement.delete(token, 'user_token.revoked');
  }

  /** Logout: the token this request came with. */
  revokeCurrent(): Promise<void> {
    return this.revoke(currentUser(this.context).credentialId);
  }

  /** Every token of the caller, the current one included. */
  async revokeAll(): Promise<void> {
    const me = currentUser(this.context);
    const tokens = await this.transactions.run(async () => {
      const rows = await this.keys.find({ userId: me.userId, kind: 'user_token' });
      await this.keys.delete({ userId: me.userId, kind: 'user_token' });
      await this.audit.record({
        action: 'user_token.revoked_all',
        targetType: 'user',
        targetId: me.userId,
        metadata: { count: rows.length },
      });
      return rows;
    });
    for (const token of tokens) this.bus.publish({ type: 'key', keyId: token.keyId });
  }
}
