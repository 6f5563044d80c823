import { Injectable } from '@nestjs/common';
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
    this.usage.record(credential.id, tenantId);
    return this.answer('VALID', credential);
  }

  private answer(code: VerifyCode, credential?: CachedCredential) {
    return {
      valid: code === 'VALID',
      code,
      key_id: credential?.id ?? null,
      workspace_id: credential?.workspaceId ?? null,
      environment: credential?.environment ?? null,
      scopes: credential?.scopes ?? [],
      expires_at: credential?.expiresAt ? iso(new Date(credential.expiresAt)) : null,
      ratelimit: credential
        ? { limit: credential.rateLimit.limit, window_seconds: credential.rateLimit.windowSeconds }
        : null,
    };
  }
}
