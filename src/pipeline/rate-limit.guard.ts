import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import { TooManyRequestsError } from '../common/errors';
import { RequestContext } from './request-context';
import type { RateLimitStorage } from './rate-limit.store';

/**
 * Link 5, @nestjs/throttler's guard with four hooks overridden:
 * - `shouldSkip`: only credentials with a finite budget are counted (platform keys, public
 *   routes and unlimited tiers are not);
 * - `getTracker`/`generateKey`: ONE budget per credential across every route (the stock key
 *   hashes controller and handler names in, which would give each route its own budget);
 * - `handleRequest`: `X-RateLimit-Reset` in Unix seconds (the stock guard sends seconds-to-go),
 *   and over budget our 429 `{"message":"Too Many Attempts."}` with a plain `Retry-After`.
 * Limit and window come from `principal.rateLimit` (see rate-limit.options.ts).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() private readonly budgets: RateLimitStorage,
    reflector: Reflector,
    private readonly context: RequestContext,
  ) {
    super(options, budgets, reflector);
  }

  protected override shouldSkip(): Promise<boolean> {
    const principal = this.context.principal();
    return Promise.resolve(
      !principal || principal.kind === 'platform_key' || principal.rateLimit.limit === null,
    );
  }

  protected override getTracker(): Promise<string> {
    return Promise.resolve(this.context.principal()!.credentialId);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `rl:${name}:${tracker}`;
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, blockDuration, throttler } = request;
    const name = throttler.name ?? 'default';
    const { res } = this.getRequestResponse(context);
    const key = request.generateKey(context, await request.getTracker({}, context), name);
    const record = await this.budgets.increment(key, ttl, limit, blockDuration, name);
    this.setResponseHeader(res, 'X-RateLimit-Limit', limit);
    this.setResponseHeader(res, 'X-RateLimit-Remaining', Math.max(limit - record.totalHits, 0));
    this.setResponseHeader(res, 'X-RateLimit-Reset', Math.ceil(record.resetAt / 1000));
    if (record.isBlocked) throw new TooManyRequestsError(Math.max(record.timeToBlockExpire, 1));
    return true;
  }
}
