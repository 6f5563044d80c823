import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage } from '@nestjs/throttler';
import {
  budgetKey,
  toRecord,
  type RateLimitRecord,
  type RateLimitStorage,
} from '../rate-limits/rate-limit.store';
import { iso } from '../core/common/iso';
import { RequestContext } from '../core/context/request-context';
import { coveredByAny, intersectScopes, normalizeScope } from '../core/access-policy/scope-names';
import { PermissionResolver } from '../access/permission-resolver';
import { CachedCredential } from './cached-credential';
import { CredentialVerifier } from './credential-verifier';
import { ipAllowed } from './ip-allowlist';
import { UsageRecorder } from './usage-recorder';
import { VerifyKeyDto } from './dto/verify-key.dto';

export type VerifyCode =
  'VALID' | 'NOT_FOUND' | 'EXPIRED' | 'REVOKED' | 'FORBIDDEN' | 'INSUFFICIENT_SCOPES' | 'RATE_LIMITED';

/**
 * Verification as a service (Unkey's `verifyKey`): another service of the tenant asks whether a
 * key presented to it is good, through the same verifier and cache as the guard chain. Always
 * 200; the answer is in `valid` and `code`. Only credentials of the verifier's workspace are found.
 */
@Injectable()
export class KeyVerificationService {
  constructor(
    private readonly verifier: CredentialVerifier,
    private readonly permissions: PermissionResolver,
    private readonly usage: UsageRecorder,
    @InjectThrottlerStorage() private readonly budgets: RateLimitStorage,
  ) {}

  async verify(ctx: RequestContext, dto: VerifyKeyDto) {
    const tenantId = ctx.tenantId();
    const here = ctx.workspace();
    const result = await this.verifier.verify(ctx, dto.key, tenantId);
    const credential = result.credential;
    // Only the verifier's own workspace: anything else is NOT_FOUND, and says nothing about itself.
    if (!credential || !here) return this.answer(ctx, 'NOT_FOUND');
    const scopes = await this.scopesIn(ctx, credential, here.id);
    if (scopes === null) return this.answer(ctx, 'NOT_FOUND');
    const found = { credential, scopes };
    if (!result.ok) return this.answer(ctx, result.reason === 'revoked' ? 'REVOKED' : 'EXPIRED', found);
    if (here.status !== 'active') return this.answer(ctx, 'FORBIDDEN', found);
    // An allowlisted key is only VALID where its allowlist says: an unknown address is not allowed.
    if (credential.allowlist.length > 0 && (!dto.ip || !ipAllowed(credential.allowlist, dto.ip)))
      return this.answer(ctx, 'FORBIDDEN', found);
    const wanted = (dto.scopes ?? []).map((s) => normalizeScope(s) ?? s);
    if (!wanted.every((scope) => coveredByAny(scopes, scope)))
      return this.answer(ctx, 'INSUFFICIENT_SCOPES', found);
    // A verification is a use of the key: it counts against the same budget as its API calls.
    // Not when a test credential asks about a live one (test credentials change no live data),
    // which is still told how much is left, and RATE_LIMITED when nothing is (attack pass).
    const spends = ctx.principal()?.environment !== 'test' || credential.environment === 'test';
    const budget = spends ? await this.consume(credential) : await this.lookAt(credential);
    if (budget?.isBlocked) return this.answer(ctx, 'RATE_LIMITED', found, budget);
    if (spends) this.usage.record(credential.id, tenantId);
    return this.answer(ctx, 'VALID', found, budget);
  }

  /**
   * What the credential holds in `workspaceId`, or null when it does not belong there: a workspace
   * key only in its own workspace; a user token where its (active) user may enter, with its
   * abilities within the user's permissions there, as the guard chain computes them.
   */
  private async scopesIn(
    ctx: RequestContext,
    credential: CachedCredential,
    workspaceId: string,
  ): Promise<string[] | null> {
    if (credential.kind === 'workspace_key')
      return credential.workspaceId === workspaceId ? credential.scopes : null;
    const tenantId = ctx.tenantId();
    const access = await this.permissions.access(ctx, tenantId, credential.userId ?? '');
    if (!access || access.status !== 'active') return null;
    if (
      !access.memberships.has(workspaceId) &&
      !(await this.permissions.canSeeAllWorkspaces(ctx, tenantId, access))
    )
      return null;
    return intersectScopes(
      credential.scopes,
      await this.permissions.permissionsIn(ctx, tenantId, access, workspaceId),
    );
  }

  private async consume(credential: CachedCredential): Promise<RateLimitRecord | null> {
    const { limit, windowSeconds } = credential.rateLimit;
    if (limit === null) return null;
    const ttl = windowSeconds * 1000;
    return this.budgets.increment(
      budgetKey(credential.budgetId, credential.rateLimit),
      ttl,
      limit,
      ttl,
      'key',
    );
  }

  /** The budget as it stands, as `consume` would report it, without spending any of it. */
  private async lookAt(credential: CachedCredential): Promise<RateLimitRecord | null> {
    const { limit, windowSeconds } = credential.rateLimit;
    if (limit === null) return null;
    const spent = await this.budgets.peek(budgetKey(credential.budgetId, credential.rateLimit));
    const now = Date.now();
    const record = toRecord(spent?.count ?? 0, spent?.resetAt ?? now + windowSeconds * 1000, limit, now);
    // Blocked when the next use would be refused: nothing is left.
    return { ...record, isBlocked: (spent?.count ?? 0) >= limit };
  }

  private answer(
    ctx: RequestContext,
    code: VerifyCode,
    found?: { credential: CachedCredential; scopes: string[] },
    budget?: RateLimitRecord | null,
  ) {
    const credential = found?.credential;
    return {
      valid: code === 'VALID',
      code,
      key_id: credential?.id ?? null,
      credential_type: credential?.kind ?? null,
      user_id: credential?.userId ?? null,
      workspace_id: credential ? (credential.workspaceId ?? ctx.workspace()?.id ?? null) : null,
      environment: credential?.environment ?? null,
      scopes: found?.scopes ?? [],
      expires_at: credential?.expiresAt ? iso(new Date(credential.expiresAt)) : null,
      ratelimit: credential
        ? {
            limit: credential.rateLimit.limit,
            window_seconds: credential.rateLimit.windowSeconds,
            ...(budget
              ? {
                  remaining: Math.max((credential.rateLimit.limit ?? 0) - budget.totalHits, 0),
                  reset: Math.ceil(budget.resetAt / 1000),
                }
              : {}),
          }
        : null,
    };
  }
}
