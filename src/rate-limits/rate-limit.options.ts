import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { RequestContext } from '../core/context/request-context';
import type { RateLimitStorage } from './rate-limit.store';

/**
 * One throttler whose limit and window are resolved per request from the credential's budget
 * (its own `{limit, window_seconds}`, else its tier, else RATE_LIMIT_DEFAULT, as the credential
 * verifier cached it). RateLimitGuard skips credentials without a finite budget, so the
 * fallbacks below are never used for counting.
 */
export function rateLimitOptions(context: RequestContext, storage: RateLimitStorage): ThrottlerModuleOptions {
  const budget = () => context.principal()?.rateLimit;
  return {
    storage,
    throttlers: [
      {
        name: 'key',
        limit: () => budget()?.limit ?? 0,
        ttl: () => (budget()?.windowSeconds ?? 1) * 1000,
      },
    ],
  };
}
