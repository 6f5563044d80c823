import { inheritedBudget } from '../core/context/principal';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { Authority } from '../access/authority';
import { KeyHasher } from '../api-keys/key-hasher';
import { KeySettings } from '../api-keys/key-settings';
import { randomBase62 } from '../api-keys/key-format';
import { OAuthAccessTokens } from '../api-keys/oauth-access-tokens';
import { AuditService } from '../audit/audit.service';
import { newId } from '../core/common/ids';
import { PageQueryDto } from '../core/common/pagination';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { RequestContext } from '../core/context/request-context';
import { keysetPage } from '../core/database/keyset-page';
import { TransactionRunner } from '../core/database/transaction-runner';
import { BudgetSharers } from '../core/events/budget-sharers';
import { CreateOAuthClientDto } from './dto/create-oauth-client.dto';
import { presentOAuthClient } from './oauth-client.presenter';
import { OAuthClientsRepository } from './oauth-clients.repository';

/**
 * OAuth 2.0 clients of the active workspace. Creating one hands out a secret that mints tokens
 * with its scopes, so it is a credential-creating change: the caller must hold those scopes there
 * (Authority), and it may not be made by a credential that would be outlived or escaped.
 */
@Injectable()
export class OAuthClientsService implements OnModuleInit {
  constructor(
    private readonly clients: OAuthClientsRepository,
    private readonly settings: KeySettings,
    private readonly hasher: KeyHasher,
    private readonly tokens: OAuthAccessTokens,
    private readonly authority: Authority,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    @InjectConfig() private readonly config: KeygateConfig,
    private readonly sharers: BudgetSharers,
  ) {}

  /** A key's clients spend its budget: a new budget for the key is checked against each of them. */
  onModuleInit(): void {
    this.sharers.register(async (ctx, budgetId) =>
      (await this.clients.find(ctx, { budgetId })).map((client) => ({
        type: 'oauth_client',
        id: client.id,
        workspaceId: client.workspaceId,
        scopes: client.scopes,
      })),
    );
  }

  async create(ctx: RequestContext, dto: CreateOAuthClientDto) {
    const workspaceId = ctx.workspace()!.id;
    const scopes = await this.settings.scopes(ctx, dto.scopes);
    const maker = ctx.principal();
    await this.authority.assertMayShapeCredential(ctx, {
      kind: 'workspace_key',
      environment: 'live',
      workspaceId,
      scopes,
      allowlist: [],
      expiresAt: null,
      // A key's client's tokens spend that key's budget on its terms (OAuthAccessTokens); anyone
      // else's get the default.
      budget: inheritedBudget(maker) !== null ? maker!.rateLimit : this.config.rateLimitDefault,
    });
    const secret = `ocs_${randomBase62(40)}`;
    const row = {
      id: newId('occ'),
      workspaceId,
      name: dto.name,
      clientId: `oc_${randomBase62(24)}`,
      secretHash: this.hasher.hash(secret),
      scopes,
      createdBy: ctx.principal()?.credentialId ?? null,
      budgetId: inheritedBudget(maker),
      createdAt: new Date(),
    };
    await this.transactions.run(ctx, async (ctx) => {
      await this.clients.insert(ctx, row);
      await this.audit.record(ctx, {
        action: 'oauth_client.created',
        targetType: 'oauth_client',
        targetId: row.id,
        metadata: { name: row.name, client_id: row.clientId, scopes },
      });
    });
    return { ...presentOAuthClient({ ...row, tenantId: ctx.tenantId() }), client_secret: secret };
  }

  list(ctx: RequestContext, query: PageQueryDto) {
    const qb = this.clients
      .queryBuilder(ctx, 'c')
      .andWhere('c.workspaceId = :ws', { ws: ctx.workspace()!.id });
    return keysetPage(qb, 'c', query, presentOAuthClient, { newest: true });
  }

  async get(ctx: RequestContext, id: string) {
    return presentOAuthClient(await this.find(ctx, id));
  }

  /** Deleting a client ends its tokens at once. Taking power away needs only the route's scope. */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    const row = await this.find(ctx, id);
    this.authority.assertMayRetireCredential(ctx, 'live');
    await this.transactions.run(ctx, async (ctx) => {
      await this.tokens.deleteAllOfClient(ctx, row.id);
      await this.clients.delete(ctx, { id: row.id });
      await this.audit.record(ctx, {
        action: 'oauth_client.deleted',
        targetType: 'oauth_client',
        targetId: row.id,
        metadata: { name: row.name, client_id: row.clientId },
      });
    });
  }

  private find(ctx: RequestContext, id: string) {
    return this.clients.findOneOrFail(ctx, { id, workspaceId: ctx.workspace()!.id });
  }
}
