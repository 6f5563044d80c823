import { inheritedBudget } from '../core/context/principal';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Authority } from '../access/authority';
import { DomainError, ForbiddenError, InvalidInputError, NotFoundError } from '../core/errors';
import { ApiKeyErrorCode } from './api-key.errors';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { PageQueryDto } from '../core/common/pagination';
import { keysetPage } from '../core/database/keyset-page';
import { TransactionRunner } from '../core/database/transaction-runner';
import { BudgetSharers } from '../core/events/budget-sharers';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { RequestContext } from '../core/context/request-context';
import { ApiKey } from './api-key.entity';
import { changesOf } from './key-changes';
import { CredentialRetirement } from './credential-retirement';
import { budgetSettingsOf, termsOf } from './credential-terms';
import { keyStatus, presentKey } from './api-key.presenter';
import { ApiKeysRepository } from './api-keys.repository';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { UpdateApiKeyDto } from './dto/update-api-key.dto';
import { KeyIssuer } from './key-issuer';
import { KeySettings } from './key-settings';
import { KeyUsageReader } from './key-usage.reader';

/** Workspace API keys of the active workspace: create, list, read, change, delete. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly issuer: KeyIssuer,
    private readonly settings: KeySettings,
    private readonly usage: KeyUsageReader,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly bus: InvalidationBus,
    private readonly authority: Authority,
    private readonly retirement: CredentialRetirement,
    private readonly sharers: BudgetSharers,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  async create(ctx: RequestContext, dto: CreateApiKeyDto) {
    const principal = ctx.principal()!;
    const budget = await this.budgetSettings(ctx, dto);
    const input = {
      kind: 'workspace_key' as const,
      name: dto.name,
      workspaceId: this.workspaceId(ctx),
      userId: null,
      environment: dto.environment ?? principal.environment,
      scopes: await this.settings.scopes(ctx, dto.scopes),
      // Omitted, a key minted by an allowlisted key is confined to the same addresses.
      ipAllowlist:
        dto.ip_allowlist !== undefined
          ? this.settings.allowlist(dto.ip_allowlist)
          : [...this.authority.allowlistCap(ctx)],
      expiresAt: this.settings.expiry(dto.expires_at, this.authority.expiryCap(ctx)),
      ...budget,
      createdBy: principal.credentialId,
      // A key minted by a key spends the minting key's budget: children multiply no budget.
      lineageId: inheritedBudget(principal),
    };
    await this.authority.assertMayShapeCredential(ctx, termsOf(input, this.config));
    return this.transactions.run(ctx, async (ctx) => {
      const { row, key } = await this.issuer.issue(ctx, input);
      const metadata = { name: row.name, scopes: row.scopes, environment: row.environment };
      await this.audit.record(ctx, {
        action: 'api_key.created',
        targetType: 'api_key',
        targetId: row.id,
        metadata,
      });
      return { ...presentKey(row), key };
    });
  }

  /**
   * A key minted by a key spends the minting key's budget, so it has the minting key's budget
   * settings too (one window, one limit); asking for others is refused. Anyone else chooses.
   */
  private async budgetSettings(ctx: RequestContext, dto: CreateApiKeyDto) {
    const principal = ctx.principal()!;
    const asked = {
      rateLimitTier: this.settings.tier(dto.rate_limit_tier),
      rateLimitLimit: dto.rate_limit?.limit ?? null,
      rateLimitWindowSeconds: dto.rate_limit?.window_seconds ?? null,
    };
    if (principal.kind !== 'workspace_key') return asked;
    const parent = await this.keys.findOneOrFail(ctx, { id: principal.credentialId });
    const inherited = {
      rateLimitTier: parent.rateLimitTier,
      rateLimitLimit: parent.rateLimitLimit,
      rateLimitWindowSeconds: parent.rateLimitWindowSeconds,
    };
    const explicit = dto.rate_limit_tier !== undefined || dto.rate_limit !== undefined;
    const same = (a: typeof asked) => JSON.stringify(termsOf({ ...parent, ...a }, this.config).budget);
    if (explicit && same(asked) !== same(inherited)) {
      throw InvalidInputError.field(
        'rate_limit',
        "a key made by a key spends that key's budget, on its terms: leave rate_limit and rate_limit_tier out",
      );
    }
    return inherited;
  }

  async list(ctx: RequestContext, query: PageQueryDto) {
    const qb = this.keys
      .queryBuilder(ctx, 'k')
      .andWhere('k.workspaceId = :ws', { ws: this.workspaceId(ctx) })
      .andWhere('k.kind = :kind', { kind: 'workspace_key' })
      // OAuth access tokens are listed by their client, not here (they come and go by the hour).
      .andWhere('k.format <> :oauth', { oauth: 'oauth' });
    return keysetPage(qb, 'k', query, presentKey, { newest: true });
  }

  /** Reading needs only the route's scope: a test key reads live keys too (product.md). */
  async get(ctx: RequestContext, id: string) {
    const row = await this.findHere(ctx, id);
    return { ...presentKey(row), ...(await this.usage.forKey(ctx, row)) };
  }

  /**
   * Any field, checked as a whole: the caller must hold the key's scopes before and after (a PATCH
   * without `scopes` that only widens the allowlist is as much a loosening as one with them).
   */
  async update(ctx: RequestContext, id: string, dto: UpdateApiKeyDto) {
    const row = await this.find(ctx, id);
    assertNotOauthToken(row);
    const patch: Partial<ApiKey> = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.scopes !== undefined) patch.scopes = await this.settings.scopes(ctx, dto.scopes);
    if (dto.ip_allowlist !== undefined) patch.ipAllowlist = this.settings.allowlist(dto.ip_allowlist);
    if (dto.expires_at !== undefined) patch.expiresAt = this.settings.expiry(dto.expires_at);
    if (dto.rate_limit_tier !== undefined) patch.rateLimitTier = this.settings.tier(dto.rate_limit_tier);
    if (dto.rate_limit !== undefined) {
      patch.rateLimitLimit = dto.rate_limit?.limit ?? null;
      patch.rateLimitWindowSeconds = dto.rate_limit?.window_seconds ?? null;
    }
    const next = { ...row, ...patch };
    await this.authority.assertMayShapeCredential(ctx, termsOf(next, this.config), termsOf(row, this.config));
    if (patch.expiresAt !== undefined) this.assertGraceNotExtended(row, patch.expiresAt);
    const changes = changesOf(row, next, Object.keys(patch) as (keyof ApiKey)[]);
    // Nothing changes (an empty or null body, the values it has): nothing to write or audit.
    if (Object.keys(changes).length === 0) return presentKey(row);
    const sharing = await this.sharingBudget(ctx, row, next);
    const updatedAt = new Date();
    await this.transactions.run(ctx, async (ctx) => {
      await this.keys.update(ctx, { id: row.id }, { ...patch, updatedAt });
      await this.audit.record(ctx, {
        action: 'api_key.updated',
        targetType: 'api_key',
        targetId: row.id,
        metadata: { changes },
      });
      for (const other of sharing) {
        await this.keys.update(ctx, { id: other.id }, { ...budgetSettingsOf(next), updatedAt });
        await this.audit.record(ctx, {
          action: 'api_key.updated',
          targetType: 'api_key',
          targetId: other.id,
          workspaceId: other.workspaceId,
          metadata: {
            changes: changesOf(other, { ...other, ...budgetSettingsOf(next) }, BUDGET_FIELDS),
            shares_budget_of: row.id,
          },
        });
      }
    });
    for (const changed of [row, ...sharing]) this.bus.publish(ctx, { type: 'key', keyId: changed.keyId });
    return presentKey({ ...next, updatedAt });
  }

  /**
   * The other credentials that spend this key's budget (its rotations, the keys it minted, its
   * clients' tokens), when the change gives the budget new terms: they take them too. Budgets
   * are counted per budget and window, so a parent given a shorter window while what it minted
   * kept the old one split one budget in two, and a leaked key throttled by PATCH left the keys
   * it had minted at full speed (attack pass). The change lands on each of them, so it is checked
   * against each live one as if it were its own PATCH, tightening too; revoked and expired ones
   * take the terms unchecked (they authenticate nothing, but their terms were read by heirs).
   */
  private async sharingBudget(ctx: RequestContext, row: ApiKey, next: ApiKey): Promise<ApiKey[]> {
    const before = termsOf(row, this.config).budget;
    const after = termsOf(next, this.config).budget;
    if (JSON.stringify(before) === JSON.stringify(after) || row.kind !== 'workspace_key') return [];
    const budgetId = row.lineageId ?? row.id;
    const sharing = (await this.keys.spendingBudget(ctx, budgetId)).filter((other) => other.id !== row.id);
    for (const other of sharing)
      if (keyStatus(other) === 'active')
        await this.authority.assertMayShapeCredential(
          ctx,
          termsOf({ ...other, ...budgetSettingsOf(next) }, this.config),
          termsOf(other, this.config),
        );
    // What spends it without a row here (a client made by the key: its next tokens' terms).
    for (const holder of await this.sharers.of(ctx, budgetId)) {
      const terms = (budget: typeof before) => ({
        kind: 'workspace_key' as const,
        environment: 'live' as const,
        workspaceId: holder.workspaceId,
        scopes: holder.scopes,
        allowlist: [],
        expiresAt: null,
        budget,
      });
      await this.authority.assertMayShapeCredential(ctx, terms(after), terms(before));
    }
    return sharing;
  }

  /** A rotated-out key lives only for its grace period: it can be cut short, never extended. */
  private assertGraceNotExtended(row: ApiKey, expiresAt: Date | null): void {
    if (!row.supersededAt) return;
    const current = row.expiresAt?.getTime() ?? Infinity;
    if ((expiresAt?.getTime() ?? Infinity) > current || row.revokedAt) {
      throw new DomainError(
        ApiKeyErrorCode.GraceNotExtendable,
        'This key was rotated: its grace period can be shortened, not extended. Use its successor.',
      );
    }
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.retirement.delete(ctx, await this.find(ctx, id), 'api_key.deleted');
  }

  /**
   * A workspace key of the active workspace to change, else 404 (another tenant's or workspace's
   * id too); a live key found by a test credential is 403. Changes beyond that go through Authority.
   */
  async find(ctx: RequestContext, id: string): Promise<ApiKey> {
    const row = await this.findHere(ctx, id);
    this.authority.assertMayRetireCredential(ctx, row.environment);
    return row;
  }

  private async findHere(ctx: RequestContext, id: string): Promise<ApiKey> {
    const row = await this.keys.findOne(ctx, {
      id,
      workspaceId: this.workspaceId(ctx),
      kind: 'workspace_key',
    });
    if (!row) throw new NotFoundError();
    return row;
  }

  private workspaceId(ctx: RequestContext): string {
    const workspace = ctx.workspace();
    if (!workspace) throw ForbiddenError.because('no_workspace');
    return workspace.id;
  }
}

/**
 * An OAuth access token ends with its hour and its client: nothing may extend, loosen or rotate it
 * into a key that outlives the client (revoking and deleting it are fine).
 */
export function assertNotOauthToken(row: ApiKey): void {
  if (row.format === 'oauth')
    throw new DomainError(
      ApiKeyErrorCode.OauthTokenFixed,
      'This is an OAuth access token: it cannot be changed or rotated, only revoked or deleted (its client issues new ones).',
    );
}

const BUDGET_FIELDS: (keyof ApiKey)[] = ['rateLimitTier', 'rateLimitLimit', 'rateLimitWindowSeconds'];
