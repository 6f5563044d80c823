import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage } from '@nestjs/throttler';
import { budgetKey, type RateLimitRecord, type RateLimitStorage } from '../pipeline/rate-limit.store';
import { iso } from '../common/iso';
import { RequestContext } from '../pipeline/request-context';
import { coveredByAny, normalizeScope } from '../scopes/scope-names';
import { WorkspaceCache } from '../workspaces/workspace-cache';
import { CachedCredential } from './cached-credential';
import { CredentialVerifier } from './credential-verifier';
import { ipAllowed } from './ip-allowlist';
import { UsageRecorder } from './usage-recorder';
import { VerifyKeyDto } from './dto/verify-key.dto';

export type VerifyCode = 'VALID' | 'NOT_FOUND' | 'EXPIRED' | 'REVOKED' | 'FORBIDDEN' | 'INSUFFICIENT_SCOPES' | 'RATE_LIMITED';

/**
 * Verification as a service (Unkey's `verifyKey`): another service of the tenant asks whether a
 * key presented to it is good, through the same verifier and cache as the guard chain. Always
 * 200; the answer is in `valid` and `code`. Only workspace keys of this tenant are found.
 */
@Injectable()
export class KeyVerificationService {
  constructor(
    private readonly verifier: CredentialVerifier,
    private readonly workspaces: WorkspaceCache,
    private readonly usage: UsageRecorder,
    private readonly context: RequestContext,
    @InjectThrottlerStorage() private readonly budgets: RateLimitStorage,
  ) {}

  async verify(dto: VerifyKeyDto) {
    const tenantId = this.context.tenantId();
    const result = await this.verifier.verify(dto.key, tenantId);
    const credential = result.credential?.kind === 'workspace_key' ? result.credential : undefined;
    if (!credential) return this.answer('NOT_FOUND');
    if (!result.ok) return this.answer(result.reason === 'revoked' ? 'REVOKED' : result.reason === 'expired' ? 'EXPIRED' : 'NOT_FOUND', credential);
    const workspace = await this.workspaces.get(tenantId, credential.workspaceId ?? '');
    if (!workspace || workspace.status !== 'active') return this.answer('FORBIDDEN', credential);
    if (dto.ip && !ipAllowed(credential.allowlist, dto.ip)) return this.answer('FORBIDDEN', credential);
    const wanted = (dto.scopes ?? []).map((s) => normalizeScope(s) ?? s);
    if (!wanted.every((scope) => coveredByAny(credential.scopes, scope))) return this.answer('INSUFFICIENT_SCOPES', credential);
    // A verification is a use of the key: it counts against the same budget as its API calls.
    const budget = await this.consume(credential);
    if (budget?.isBlocked) return this.answer('RATE_LIMITED', credential, budget);
    this.usage.record(credential.id, tenantId);
    return this.answer('VALID', credential, budget);
  }

  private async consume(credential: CachedCredential): Promise<RateLimitRecord | null> {
    const { limit, windowSeconds } = credential.rateLimit;
    if (limit === null) return null;
    const ttl = windowSeconds * 1000;
    return this.budgets.increment(budgetKey(credential.id), ttl, limit, ttl, 'key');
  }

  private answer(code: VerifyCode, credential?: CachedCredential, budget?: RateLimitRecord | null) {
    return {
      valid: code === 'VALID',
      code,
      key_id: credential?.id ?? null,
      workspace_id: credential?.workspaceId ?? null,
      environment: credential?.environment ?? null,
      scopes: credential?.scopes ?? [],
      expires_at: credential?.expiresAt ? iso(new Date(credential.expiresAt)) : null,
      ratelimit: credential
        ? {
            limit: credential.rateLimit.limit,
            window_seconds: credential.rateLimit.windowSeconds,
            ...(budget
              ? { remaining: Math.max((credential.rateLimit.limit ?? 0) - budget.totalHits, 0), reset: Math.ceil(budget.resetAt / 1000) }
              : {}),
          }
        : null,
    };
  }
}
