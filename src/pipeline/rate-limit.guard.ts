import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { TooManyRequestsError } from '../common/errors';
import { setResponseHeader } from '../http/http-response';
import { RequestContext } from './request-context';
import { RateLimitStore } from './rate-limit.store';

/**
 * Link 5: one budget per credential across every route: the key's own `{limit, window_seconds}`,
 * else its tier, else RATE_LIMIT_DEFAULT. Every authenticated response carries the
 * X-RateLimit-* headers; over budget is 429 with Retry-After.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(RateLimitStore) private readonly store: RateLimitStore,
    private readonly context: RequestContext,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    const principal = this.context.principal();
    if (!principal || principal.kind === 'platform_key') return true;
    const { limit, windowSeconds } = principal.rateLimit;
    if (limit === null) return true;
    const now = Date.now();
    const hit = await this.store.hit(`rl:${principal.credentialId}`, windowSeconds * 1000, now);
    const response: unknown = execution.switchToHttp().getResponse();
    setResponseHeader(response, 'X-RateLimit-Limit', String(limit));
    setResponseHeader(response, 'X-RateLimit-Remaining', String(Math.max(limit - hit.count, 0)));
    setResponseHeader(response, 'X-RateLimit-Reset', String(Math.ceil(hit.resetAt / 1000)));
    if (hit.count > limit) throw new TooManyRequestsError(Math.max(Math.ceil((hit.resetAt - now) / 1000), 1));
    return true;
  }
}
