import { Injectable } from '@nestjs/common';
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
import { CreateOAuthClientDto } from './dto/create-oauth-client.dto';
import { presentOAuthClient } from './oauth-client.presenter';
import { OAuthClientsRepository } from './oauth-clients.repository';

/**
 * OAuth 2.0 clients of the active workspace. Creating one hands out a secret that mints tokens
 * with its scopes, so it is a credential-creating change: the caller must hold those scopes there
 * (Authority), and it may not be made by a credential that would be outlived or escaped.
 */
@Injectable()
export class OAuthClientsService {
  constructor(
    private readonly clients: OAuthClientsRepository,
    private readonly settings: KeySettings,
    private readonly hasher: KeyHasher,
    private readonly tokens: OAuthAccessTokens,
    private readonly authority: Authority,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly context: RequestContext,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  async create(dto: CreateOAuthClientDto) {
    const workspaceId = this.context.workspace()!.id;
    const scopes = await this.settings.scopes(dto.scopes);
    await this.authority.assertMayShapeCredential({
      kind: 'workspace_key',
      environment: 'live',
      workspaceId,
      scopes,
      allowlist: [],
      expiresAt: null,
      budget: this.config.rateLimitDefault,
    });
    const secret = `ocs_${randomBase62(40)}`;
    const row = {
      id: newId('occ'),
      workspaceId,
      name: dto.name,
      clientId: `oc_${randomBase62(24)}`,
      secretHash: this.hasher.hash(secret),
      scopes,
      createdBy: this.context.principal()?.credentialId ?? null,
      createdAt: new Date(),
    };
    await this.transactions.run(async () => {
      await this.clients.insert(row);
      await this.audit.record({
        action: 'oauth_client.created',
        targetType: 'oauth_client',
        targetId: row.id,
        metadata: { name: row.name, client_id: row.clientId, scopes },
      });
    });
    return { ...presentOAuthClient({ ...row, tenantId: this.context.tenantId() }), client_secret: secret };
  }

  list(query: PageQueryDto) {
    const qb = this.clients
      .queryBuilder('c')
      .andWhere('c.workspaceId = :ws', { ws: this.context.workspace()!.id });
    return keysetPage(qb, 'c', query, presentOAuthClient, { newest: true });
  }

  async get(id: string) {
    return presentOAuthClient(await this.find(id));
  }

  /** Deleting a client ends its tokens at once. Taking power away needs only the route's scope. */
  async remove(id: string): Promise<void> {
    const row = await this.find(id);
    this.authority.assertMayRetireCredential('live');
    await this.transactions.run(async () => {
      await this.tokens.deleteAllOfClient(row.id);
      await this.clients.delete({ id: row.id });
      await this.audit.record({
        action: 'oauth_client.deleted',
        targetType: 'oauth_client',
        targetId: row.id,
        metadata: { name: row.name, client_id: row.clientId },
      });
    });
  }

  private find(id: string) {
    return this.clients.findOneOrFail({ id, workspaceId: this.context.workspace()!.id });
  }
}
