import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { ExecutionContext } from '@nestjs/common';
import { contextIn } from '../core/context/ctx.decorator';
import type { RateLimitStorage } from './rate-limit.store';

/**
 * One throttler whose limit and window are resolved per request from the credential's budget
 * (its own `{limit, window_seconds}`, else its tier, else RATE_LIMIT_DEFAULT, as the credential
 * verifier cached it). RateLimitGuard skips credentials without a finite budget, so the
 * fallbacks below are never used for counting.
 */
export function rateLimitOptions(storage: RateLimitStorage): ThrottlerModuleOptions {
  const budget = (execution: ExecutionContext) => contextIn(execution).principal()?.rateLimit;
  return {
    storage,
    throttlers: [
      {
        name: 'key',
        limit: (execution) => budget(execution)?.limit ?? 0,
        ttl: (execution) => (budget(execution)?.windowSeconds ?? 1) * 1000,
      },
    ],
  };
}
