import { inheritedBudget } from '../core/context/principal';
import { Injectable } from '@nestjs/common';
import { Authority } from '../access/authority';
import { PermissionResolver } from '../access/permission-resolver';
import { ApiKey } from '../api-keys/api-key.entity';
import { termsOf } from '../api-keys/credential-terms';
import { normalizeAllowlistEntry } from '../api-keys/ip-allowlist';
import { ExistingImport, LegacyKeyStore } from '../api-keys/legacy/legacy-key-store';
import { seal } from '../api-keys/legacy/legacy-seal';
import { legacyDisplayPrefix, legacyKeyId, MAX_PREFIX_LENGTHS } from '../api-keys/legacy/legacy-shapes';
import { AuditService } from '../audit/audit.service';
import { newId } from '../core/common/ids';
import { normalizeScope } from '../core/access-policy/scope-names';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { resolveBudget } from '../core/config/rate-limit-tiers';
import type { LegacyFormat, LegacyFormatSettings } from '../core/context/legacy-formats';
import { RequestContext } from '../core/context/request-context';
import { isUniqueViolation } from '../core/database/db-errors';
import { TransactionRunner } from '../core/database/transaction-runner';
import { InvalidInputError } from '../core/errors';
import { ScopeCatalog } from '../scopes/scope-catalog';
import { ScopesService } from '../scopes/scopes.service';
import { TenantsService } from '../tenants/tenants.service';
import { UserDirectory } from '../users/user-directory';
import { WorkspaceDirectory } from '../workspaces/workspace-directory';
import { LegacyRow, readRow, RowError } from './dump-rows';
import { readUsers } from './dump-users';

/** Rows one dump may hold: one transaction, so bounded. */
export const MAX_DUMP_ROWS = 10_000;

export interface ImportRequest {
  format: LegacyFormat;
  rows: unknown;
  users?: unknown;
  /** Where workspace keys land (default: the active workspace, or the tenant's first). */
  workspaceId: string | null;
  /** Register scopes the catalog lacks instead of refusing the rows that name them. */
  registerScopes: boolean;
  /** Voltis: the old application's HMAC key (sealed under APP_KEY before it is stored). */
  legacyKey?: string;
  /** The CLI: an operator, not a credential; the authorization rule has no caller to ask. */
  operator: boolean;
}

export interface ImportReport {
  format: LegacyFormat;
  imported: number;
  /** Legacy ids already imported by an earlier run: left as they are. */
  skipped: string[];
  refused: Array<{ row: number; id: string | null; reason: string }>;
}

interface Planned {
  index: number;
  row: LegacyRow;
  key: Omit<ApiKey, 'tenantId'>;
}

/**
 * Imports the hashed credentials of a system users are leaving (product.md, "Moving in"), so the
 * keys already in their customers' hands keep working. One dump, one transaction: every row is
 * read and checked first, and one refused row refuses the dump (422, every fault with its row
 * number, 1-based); rows already imported are skipped, so a re-run is harmless. Over HTTP each
 * credential passes the one authorization rule like any credential created there.
 */
@Injectable()
export class KeyImportService {
  constructor(
    private readonly store: LegacyKeyStore,
    private readonly catalog: ScopeCatalog,
    private readonly scopes: ScopesService,
    private readonly users: UserDirectory,
    private readonly workspaces: WorkspaceDirectory,
    private readonly tenants: TenantsService,
    private readonly permissions: PermissionResolver,
    private readonly authority: Authority,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  async import(ctx: RequestContext, request: ImportRequest): Promise<ImportReport> {
    if (!Array.isArray(request.rows)) throw InvalidInputError.field('rows', 'rows must be an array');
    if (request.rows.length > MAX_DUMP_ROWS)
      throw InvalidInputError.field('rows', `a dump holds at most ${MAX_DUMP_ROWS} rows: split it`);
    const legacyKey = this.legacyKeyFor(ctx, request);
    const workspaceId = await this.targetWorkspace(ctx, request.workspaceId);
    const refused: ImportReport['refused'] = [];
    const read = this.readAll(request, refused);
    const emails = readUsers(request.format, request.users, read);
    const planned = await this.plan(ctx, request, read, emails, workspaceId, refused, legacyKey);
    const existing = await this.store.existingByLegacyId(
      ctx,
      request.format,
      planned.map((p) => p.row.legacyId),
    );
    const skipped = this.sameCredentials(planned, existing, refused);
    const fresh = planned.filter((p) => !existing.has(p.row.legacyId));
    // Only rows this import writes register scopes (and are checked against the catalog).
    const unknownScopes = await this.unknownScopes(ctx, fresh, request.registerScopes, refused);
    await this.checkKeyIds(ctx, planned, existing, refused);
    if (refused.length > 0) throw refusal(refused);
    if (!request.operator) {
      await this.authorize(ctx, fresh);
      // Registering scopes is creating them: the same check as POST /api/v1/scopes.
      if (unknownScopes.length > 0)
        await this.authority.assertScopeIn(ctx, ctx.workspace()?.id ?? null, 'scopes:create');
    }
    try {
      // Exclusive: on MySQL the tenant row is locked, so two imports merge their formats in turn.
      await this.transactions.exclusive(ctx, async (ctx) => {
        for (const scope of unknownScopes)
          await this.scopes.create(ctx, { name: scope, description: `Imported from ${request.format}` });
        for (const planned of fresh) await this.write(ctx, request.format, planned);
        // Nothing new, nothing changes: not even the tenant's formats.
        if (fresh.length > 0)
          await this.tenants.recordLegacyImport(ctx, ctx.tenantId(), (current) =>
            mergeSettings(current, request.format, fresh),
          );
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw InvalidInputError.field(
        'rows',
        'another import of these rows ran at the same time: run this one again (imported rows are skipped)',
      );
    }
    return { format: request.format, imported: fresh.length, skipped, refused: [] };
  }

  private async write(ctx: RequestContext, format: LegacyFormat, { key, row }: Planned): Promise<void> {
    await this.store.insert(ctx, key);
    await this.audit.record(ctx, {
      action: 'api_key.imported',
      targetType: key.kind === 'user_token' ? 'user_token' : 'api_key',
      targetId: key.id,
      workspaceId: key.workspaceId,
      metadata: {
        format,
        legacy_id: row.legacyId,
        name: key.name,
        scopes: key.scopes,
        ...(key.legacyKey ? { legacy_key: 'sealed' } : {}),
      },
    });
  }

  private legacyKeyFor(ctx: RequestContext, request: ImportRequest): string | null {
    if (request.format !== 'voltis') return null;
    // The old key decides which tokens verify: live tenant data, not for a test credential.
    if (!request.operator) this.authority.assertMayChangeTenantData(ctx);
    if (!request.legacyKey || request.legacyKey.length < 8)
      throw InvalidInputError.field(
        'legacy_key',
        'Voltis tokens are HMAC-SHA-512 under the old application key: give it (--legacy-key-env NAME names the variable holding it)',
      );
    return seal(this.config.appKey, request.legacyKey);
  }

  private async targetWorkspace(ctx: RequestContext, requested: string | null): Promise<string | null> {
    const active = ctx.workspace()?.id ?? null;
    // Ids sort by creation: the first is the tenant's default workspace.
    if (requested === null) return active ?? (await this.workspaces.allIds(ctx)).sort()[0] ?? null;
    if (active !== null && requested !== active)
      throw InvalidInputError.field(
        'workspace_id',
        'import into the active workspace (select it with X-Workspace-ID)',
      );
    await this.workspaces.findOrFail(ctx, requested).catch(() => {
      throw InvalidInputError.field('workspace_id', 'no such workspace in this tenant');
    });
    return requested;
  }

  private readAll(request: ImportRequest, refused: ImportReport['refused']): Array<LegacyRow | null> {
    return (request.rows as unknown[]).map((raw, i) => {
      try {
        return readRow(request.format, raw);
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        refused.push({ row: i + 1, id: rawId(raw), reason: error.message });
        return null;
      }
    });
  }

  /** Rows into api_keys rows: owners resolved, scopes normalised, allowlists and tiers checked. */
  private async plan(
    ctx: RequestContext,
    request: ImportRequest,
    read: Array<LegacyRow | null>,
    emails: Map<string, string>,
    workspaceId: string | null,
    refused: ImportReport['refused'],
    legacyKey: string | null,
  ): Promise<Planned[]> {
    const tenantId = ctx.tenantId();
    const owners = await this.users.findByEmails(ctx, [...new Set(emails.values())]);
    const seen = new Set<string>();
    const planned: Planned[] = [];
    read.forEach((row, index) => {
      if (!row) return;
      const fail = (reason: string) => refused.push({ row: index + 1, id: row.legacyId, reason });
      if (seen.has(row.legacyId)) return fail(`id ${row.legacyId} appears twice in the dump`);
      seen.add(row.legacyId);
      let userId: string | null = null;
      if (row.kind === 'user_token') {
        const email = emails.get(row.legacyUserId ?? '');
        if (!email) return fail(`user ${row.legacyUserId} is not in the dump's users`);
        userId = owners.get(email.toLowerCase()) ?? null;
        if (!userId) return fail(`no Keygate user with email ${email} (create the user first)`);
      } else if (!workspaceId) return fail('the tenant has no workspace to import keys into');
      const scopes = normalizeAll(row.scopes);
      if (typeof scopes === 'string') return fail(scopes);
      const allowlist = row.ipAllowlist.map((entry) => normalizeAllowlistEntry(entry));
      const badEntry = allowlist.findIndex((entry) => entry === null);
      if (badEntry >= 0)
        return fail(`ip_allowlist entry "${row.ipAllowlist[badEntry]}" is not an IP or CIDR range`);
      if (row.rateLimitTier && !this.config.rateLimitTiers.has(row.rateLimitTier))
        return fail(
          `rate_limit_tier "${row.rateLimitTier}" is not one of ${[...this.config.rateLimitTiers.keys()].join(', ')}`,
        );
      const budget = this.sharedBudget(ctx, row);
      if ('refused' in budget) return fail(budget.refused);
      const candidate = { format: request.format, lookup: row.lookup };
      const now = new Date();
      planned.push({
        index,
        row,
        key: {
          id: newId(row.kind === 'user_token' ? 'tok' : 'key'),
          kind: row.kind,
          workspaceId: row.kind === 'workspace_key' ? workspaceId : null,
          userId,
          name: row.name,
          keyId: legacyKeyId(tenantId, candidate),
          // Nothing to compare with until the first use puts our HMAC here (LegacyVerifier).
          secretHash: '',
          environment: row.environment,
          scopes,
          ipAllowlist: [...new Set(allowlist as string[])],
          rateLimitTier: row.rateLimitTier,
          rateLimitLimit: null,
          rateLimitWindowSeconds: null,
          expiresAt: row.expiresAt,
          lastUsedAt: row.lastUsedAt,
          revokedAt: row.revokedAt,
          rotatedFromId: null,
          supersededAt: null,
          lineageId: budget.lineageId,
          createdBy: ctx.principal()?.credentialId ?? 'cli',
          format: request.format,
          legacyId: row.legacyId,
          legacyHash: row.hash,
          // Each Voltis row keeps the key its hash is under: another import cannot change it.
          legacyKey,
          displayPrefix: legacyDisplayPrefix(candidate),
          oauthClientId: null,
          createdAt: row.createdAt ?? now,
          updatedAt: now,
        },
      });
    });
    return planned;
  }

  /**
   * The budget an imported workspace key spends: a key that imports keys shares its own budget
   * with them, exactly as with the keys it creates (ApiKeysService: children multiply no budget).
   * Without that, importing keys whose hashes the caller chose (and so whose plaintexts it knows)
   * made fresh budgets at will (found by an attack pass). A row whose tier would count in another
   * window than the caller's is refused, as an explicit other budget is at creation. A null
   * lineage is a budget of its own: imported by a person or the CLI, or a user token.
   */
  private sharedBudget(
    ctx: RequestContext,
    row: LegacyRow,
  ): { lineageId: string | null } | { refused: string } {
    const caller = ctx.principal();
    const lineageId = inheritedBudget(caller);
    if (!caller || lineageId === null || row.kind !== 'workspace_key') return { lineageId: null };
    const own = resolveBudget(
      { rateLimitLimit: null, rateLimitWindowSeconds: null, rateLimitTier: row.rateLimitTier },
      this.config.rateLimitTiers,
      this.config.rateLimitDefault,
    );
    if (own.limit !== caller.rateLimit.limit || own.windowSeconds !== caller.rateLimit.windowSeconds)
      return {
        refused:
          `a key imports keys that share its budget: rate_limit_tier "${row.rateLimitTier ?? 'default'}" ` +
          "is another budget than the importing key's (import with a user token to keep the dump's tiers)",
      };
    return { lineageId };
  }

  /** Scopes outside the catalog: refused, or (register-scopes) returned to be registered. */
  private async unknownScopes(
    ctx: RequestContext,
    planned: Planned[],
    register: boolean,
    refused: ImportReport['refused'],
  ): Promise<string[]> {
    const all = [...new Set(planned.flatMap((p) => p.key.scopes))];
    const unknown = new Set(await this.catalog.unknown(ctx, all));
    if (unknown.size === 0) return [];
    const concrete = [...unknown].filter((s) => !s.includes('*') && s.includes(':'));
    for (const p of planned) {
      const missing = p.key.scopes.filter((s) => unknown.has(s) && !(register && concrete.includes(s)));
      if (missing.length > 0)
        refused.push({
          row: p.index + 1,
          id: p.row.legacyId,
          reason: `unknown scopes: ${missing.join(', ')} (register them, or import with register-scopes)`,
        });
    }
    return register ? concrete : [];
  }

  /** Two rows with one look-up prefix, or a prefix another import already holds, cannot both work. */
  private async checkKeyIds(
    ctx: RequestContext,
    planned: Planned[],
    existing: Map<string, ExistingImport>,
    refused: ImportReport['refused'],
  ): Promise<void> {
    const byKeyId = new Map<string, Planned>();
    for (const p of planned) {
      const twin = byKeyId.get(p.key.keyId);
      if (twin)
        refused.push({
          row: p.index + 1,
          id: p.row.legacyId,
          reason: `same look-up value as row ${twin.index + 1}`,
        });
      else byKeyId.set(p.key.keyId, p);
    }
    const taken = await this.store.takenKeyIds(ctx, [...byKeyId.keys()]);
    for (const p of byKeyId.values()) {
      if (taken.has(p.key.keyId) && !existing.has(p.row.legacyId))
        refused.push({
          row: p.index + 1,
          id: p.row.legacyId,
          reason: 'its look-up value is already used by another imported key',
        });
    }
  }

  /**
   * Rows whose legacy id was imported before: skipped only when they are the same credential
   * (same workspace or user, same old hash; once upgraded by a first use the old hash is gone
   * and the place decides). Anything else is refused, naming nothing of where the other one is.
   */
  private sameCredentials(
    planned: Planned[],
    existing: Map<string, ExistingImport>,
    refused: ImportReport['refused'],
  ): string[] {
    const skipped: string[] = [];
    for (const p of planned) {
      const before = existing.get(p.row.legacyId);
      if (!before) continue;
      const samePlace = before.workspaceId === p.key.workspaceId && before.userId === p.key.userId;
      const sameHash = before.legacyHash === null || before.legacyHash === p.key.legacyHash;
      if (samePlace && sameHash) skipped.push(p.row.legacyId);
      else
        refused.push({
          row: p.index + 1,
          id: p.row.legacyId,
          reason: 'this id was imported before as a different credential (another key, or elsewhere)',
        });
    }
    return skipped;
  }

  /**
   * The one rule, per credential: a workspace key as if created here; a user token within what
   * its user holds wherever the user reaches, and within what the caller holds there.
   */
  private async authorize(ctx: RequestContext, fresh: Planned[]): Promise<void> {
    const tenantId = ctx.tenantId();
    for (const { key } of fresh) {
      const terms = termsOf(key, this.config);
      if (key.kind === 'workspace_key') {
        await this.authority.assertMayShapeCredential(ctx, terms);
        continue;
      }
      const access = await this.permissions.access(ctx, tenantId, key.userId ?? '');
      if (!access) throw InvalidInputError.field('users', `user ${key.userId} is gone`);
      await this.authority.assertMayIssueTokenFor(ctx, access, terms);
    }
  }
}

function normalizeAll(raw: string[]): string[] | string {
  const out: string[] = [];
  for (const entry of raw) {
    const scope = normalizeScope(entry);
    if (!scope) return `"${entry.slice(0, 80)}" is not a scope (resource:action or resource.action)`;
    if (!out.includes(scope)) out.push(scope);
  }
  return out;
}

function rawId(raw: unknown): string | null {
  const id = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 64) : null;
}

/** 422 naming every row at fault: `errors["rows.3"]`, and the same list as `refused`. */
function refusal(refused: ImportReport['refused']): InvalidInputError {
  const errors: Record<string, string[]> = {};
  for (const r of refused.sort((a, b) => a.row - b.row)) {
    const field = r.row === 0 ? 'users' : `rows.${r.row}`;
    (errors[field] ??= []).push(`row ${r.row}${r.id !== null ? ` (id ${r.id})` : ''}: ${r.reason}`);
  }
  return new InvalidInputError(errors);
}

/** The tenant's formats after this import: the format on, its prefix lengths. */
function mergeSettings(
  current: LegacyFormatSettings | null,
  format: LegacyFormat,
  fresh: Planned[],
): LegacyFormatSettings {
  const previous = current?.[format] ?? {};
  const next: { prefixLengths?: number[]; sealedKey?: string; importedAt?: string } = {
    ...previous,
    importedAt: new Date().toISOString(),
  };
  if (format === 'hex-bcrypt' || format === 'prefixed-bcrypt') {
    const lengths = new Set([...(previous.prefixLengths ?? []), ...fresh.map((p) => p.row.lookup.length)]);
    if (lengths.size > MAX_PREFIX_LENGTHS)
      throw InvalidInputError.field(
        'rows',
        `key prefixes of at most ${MAX_PREFIX_LENGTHS} different lengths`,
      );
    next.prefixLengths = [...lengths].sort((a, b) => a - b);
  }
  // Voltis: the key is sealed onto each row; a sealedKey here is only read for older rows.
  return { ...(current ?? {}), [format]: next };
}
