import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { CachedCredential } from '../api-keys/cached-credential';
import { CredentialVerifier, VerifyResult } from '../api-keys/credential-verifier';
import { ipAllowed } from '../api-keys/ip-allowlist';
import { UsageRecorder } from '../api-keys/usage-recorder';
import { ForbiddenError, UnauthenticatedError } from '../core/errors';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { httpRequest, type HttpRequest } from '../core/http/http-request';
import { PlatformKeysService } from '../platform/platform-keys.service';
import { extractCredential, removeCredentialFields } from './credential-extractor';
import { AuthFailureLimiter } from '../core/http/auth-failure-limiter';
import { Principal } from '../core/context/principal';
import { contextOf, type RequestContext } from '../core/context/request-context';
import { RoutePolicyRegistry } from './route-policy.registry';
import { Metrics } from '../core/metrics/metrics';
import { SessionAuthenticator } from '../sessions/session-authenticator';

/**
 * Link 2: who is calling. Every failure is the same 401; the reason goes to the log with the
 * client IP and, when the key parsed, its public prefix, never the key. A valid key used from an
 * address outside its allowlist is 403.
 */
@Injectable()
export class CredentialGuard implements CanActivate {
  /** One Principal per cached credential (it is never mutated): no allocation per request. */
  private readonly principals = new WeakMap<CachedCredential, Principal>();

  constructor(
    private readonly policies: RoutePolicyRegistry,
    private readonly verifier: CredentialVerifier,
    private readonly platformKeys: PlatformKeysService,
    private readonly usage: UsageRecorder,
    private readonly failures: AuthFailureLimiter,
    private readonly metrics: Metrics,
    @InjectConfig() private readonly config: KeygateConfig,
    private readonly sessions: SessionAuthenticator,
  ) {}

  /** Synchronous when the key is cached: no promise on the hot path (see README, benchmarks). */
  canActivate(execution: ExecutionContext): boolean | Promise<boolean> {
    const policy = this.policies.of(execution);
    if (policy.kind === 'public') return true;
    const request = httpRequest(execution);
    const ctx = contextOf(request);
    const ip = ctx.clientIp() ?? 'unknown';
    const extracted = extractCredential(request, this.config.allowQueryCredentials);
    if (this.config.allowQueryCredentials) removeCredentialFields(request);
    if ('error' in extracted) {
      // A session cookie is looked at only when no other credential came: the key path never pays.
      if (extracted.error === 'missing' && policy.kind !== 'platform' && this.sessions.present(request))
        return this.viaSession(ctx, request, ip);
      this.fail(extracted.error, ip);
    }
    if (this.failures.isLocked(ip))
      return this.whileLocked(ctx, extracted.key, extracted.clientId, ip, policy.kind === 'platform');
    if (policy.kind === 'platform') {
      return this.platformKeys.verify(extracted.key).then((principal) => {
        if (!principal) this.fail('invalid_platform_key', ip);
        ctx.setPrincipal(principal);
        return true;
      });
    }
    const verifying = this.verifier.verify(ctx, extracted.key, ctx.tenantId(), extracted.clientId);
    if (verifying instanceof Promise)
      return verifying.then((result) => this.accept(ctx, result, extracted.clientId, ip));
    return this.accept(ctx, verifying, extracted.clientId, ip);
  }

  private accept(ctx: RequestContext, result: VerifyResult, clientId: string | null, ip: string): boolean {
    if (!result.ok) this.fail(result.reason, ip, result.parsed?.prefix);
    const credential = result.credential;
    if (clientId !== null && clientId !== (credential.clientId ?? credential.keyId)) {
      this.fail('client_id_mismatch', ip, credential.prefix);
    }
    // A valid key from the wrong address is refused like a failure: counted (so a flood of them
    // ends in 429 like any other) and logged at the same bounded rate.
    if (!ipAllowed(credential.allowlist, ip))
      this.fail('ip_not_allowed', ip, credential.prefix, ForbiddenError.because('ip_not_allowed'));
    let principal = this.principals.get(credential);
    if (!principal) this.principals.set(credential, (principal = toPrincipal(credential)));
    ctx.setPrincipal(principal);
    this.usage.record(credential.id, credential.tenantId);
    this.metrics.verification('ok');
    return true;
  }

  /** The dashboard's session cookie (SessionAuthenticator); an unknown or ended one is the same 401. */
  private async viaSession(ctx: RequestContext, request: HttpRequest, ip: string): Promise<boolean> {
    if (this.failures.isLocked(ip)) this.fail('locked_out', ip);
    const principal = await this.sessions.authenticate(ctx, request);
    if (!principal) this.fail('invalid_session', ip);
    ctx.setPrincipal(principal);
    return true;
  }

  /**
   * An address past AUTH_FAILURE_LIMIT this minute does no database work at all. A key this
   * instance has already verified (it is in the key cache) still costs one HMAC and, when right,
   * goes through: behind a shared NAT, one client's guessing must not lock out every valid key
   * of everyone else there, and a cached key can be checked as cheaply as it is refused. Anything
   * else (unknown or uncached ids, wrong secrets, platform keys) is 429 until the window ends.
   */
  private whileLocked(
    ctx: RequestContext,
    key: string,
    clientId: string | null,
    ip: string,
    platform: boolean,
  ): boolean {
    const cached = platform ? null : this.verifier.verifyCached(key, ctx.tenantId());
    if (!cached) this.fail('locked_out', ip);
    return this.accept(ctx, cached, clientId, ip);
  }

  /** 401 for each failure, 429 once the address has failed AUTH_FAILURE_LIMIT times this minute. */
  private fail(reason: string, ip: string, prefix?: string, refusal?: Error): never {
    const count = this.failures.noteFailure(reason, ip, prefix);
    if (this.failures.exceeded(count)) throw this.failures.refusal(ip);
    throw refusal ?? UnauthenticatedError.because(reason);
  }
}

export function toPrincipal(credential: CachedCredential): Principal {
  return {
    kind: credential.kind,
    credentialId: credential.id,
    prefix: credential.prefix,
    environment: credential.environment,
    boundWorkspaceId: credential.workspaceId,
    userId: credential.userId,
    grantedScopes: credential.scopes,
    rateLimit: credential.rateLimit,
    budgetId: credential.budgetId,
    expiresAt: credential.expiresAt,
    allowlist: credential.allowlistEntries,
  };
}
