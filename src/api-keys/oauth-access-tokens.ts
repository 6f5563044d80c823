import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { TransactionRunner } from '../core/database/transaction-runner';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { ApiKey } from './api-key.entity';
import { keyStatus } from './api-key.presenter';
import { budgetSettingsOf } from './credential-terms';
import { ApiKeysRepository } from './api-keys.repository';
import { CredentialRetirement } from './credential-retirement';
import { KeyIssuer } from './key-issuer';
import { parseKey } from './key-format';
import { KeyHasher } from './key-hasher';
import type { RequestContext } from '../core/context/request-context';

/** A token's rate-limit settings; none: the default. */
export type BudgetTerms = Partial<
  Pick<ApiKey, 'rateLimitTier' | 'rateLimitLimit' | 'rateLimitWindowSeconds'>
>;

/** The client an access token is issued to, as this feature needs it. */
export interface TokenClient {
  id: string;
  clientId: string;
  name: string;
  workspaceId: string;
  /** The budget its tokens spend when not the client's own (a client made by a key). */
  budgetId: string | null;
}

/**
 * OAuth 2.0 access tokens are native workspace keys (format `oauth`) bound to their client's
 * workspace, short-lived, sharing one rate-limit budget per client: so they pass the same guard
 * chain (scopes, workspace, rate limit, revocation) as every other credential, at the same cost.
 */
@Injectable()
export class OAuthAccessTokens {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly issuer: KeyIssuer,
    private readonly hasher: KeyHasher,
    private readonly retirement: CredentialRetirement,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly bus: InvalidationBus,
  ) {}

  /** A token of `client` on `terms` (budgetTerms' answer). */
  issue(ctx: RequestContext, client: TokenClient, scopes: string[], ttlSeconds: number, terms: BudgetTerms) {
    return this.transactions.run(ctx, async (ctx) => {
      const issued = await this.issuer.issue(ctx, {
        ...terms,
        kind: 'workspace_key',
        name: `OAuth: ${client.name}`.slice(0, 200),
        workspaceId: client.workspaceId,
        userId: null,
        environment: 'live',
        scopes,
        expiresAt: new Date(Date.now() + ttlSeconds * 1000),
        // One budget per client (or the creating key's): a fresh token is no fresh budget.
        lineageId: client.budgetId ?? client.id,
        createdBy: client.id,
        oauthClientId: client.id,
      });
      await this.audit.record(ctx, {
        action: 'oauth.token_issued',
        targetType: 'api_key',
        targetId: issued.row.id,
        workspaceId: client.workspaceId,
        actor: { type: 'oauth_client', id: client.id },
        metadata: { client_id: client.clientId, scopes },
      });
      return issued;
    });
  }

  /**
   * The budget terms a client's tokens get: its own client's (the default: `{}`), or, for a client
   * made by a key, that key's budget on the terms of the newest live key spending it (the key, its
   * rotations, what it minted): budgets are counted per budget and window, and tokens on other
   * terms were counted apart, a second budget (attack pass: 3,000 through 2,000). Null when no
   * live key spends it any more (revoked, expired or deleted): the client was the key's, and
   * without it has no budget to spend, nor should a leaked key's client outlive its revocation.
   */
  async budgetTerms(ctx: RequestContext, client: TokenClient): Promise<BudgetTerms | null> {
    if (client.budgetId === null) return {};
    // Any live key but the client's tokens themselves: imported ones spend it too (attack pass).
    const live = (await this.keys.spendingBudget(ctx, client.budgetId)).filter(
      (key) => key.format !== 'oauth' && keyStatus(key) === 'active',
    );
    if (live.length === 0) return null;
    return budgetSettingsOf(live.reduce((a, b) => (b.createdAt > a.createdAt ? b : a)));
  }

  /** The access token row of this plaintext (its secret checked), or null. */
  async find(ctx: RequestContext, token: string): Promise<ApiKey | null> {
    const parsed = parseKey(token);
    if (!parsed || parsed.kind !== 'workspace_key') return null;
    const row = await this.keys.findWithHash(ctx, parsed.keyId);
    if (!row || row.format !== 'oauth' || !this.hasher.matches(token, row.secretHash)) return null;
    return row;
  }

  async revoke(ctx: RequestContext, row: ApiKey): Promise<void> {
    if (row.revokedAt === null) await this.retirement.revoke(ctx, row, 'oauth.token_revoked');
  }

  /** A deleted client takes its tokens along (inside the caller's transaction). */
  async deleteAllOfClient(ctx: RequestContext, clientRowId: string): Promise<void> {
    const rows = await this.keys.find(ctx, { oauthClientId: clientRowId });
    await this.keys.delete(ctx, { oauthClientId: clientRowId });
    for (const row of rows) this.bus.publish(ctx, { type: 'key', keyId: row.keyId });
  }
}
