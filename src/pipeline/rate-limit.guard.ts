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
import { budgetKey, type RateLimitStorage } from './rate-limit.store';

/**
 * Link 5, @nestjs/throttler's guard and storage contract with one budget per credential:
 * - `canActivate`: the budget is the credential's (its own `{limit, window_seconds}`, else its
 *   tier, else RATE_LIMIT_DEFAULT, resolved when the key was cached), so the stock per-route
 *   look-ups (@Throttle/@SkipThrottle metadata, resolvable limits) are skipped: they cost five
 *   reflector reads and four awaits a request for answers that cannot differ between routes.
 *   Platform keys, public routes and unlimited tiers are not counted.
 * - `getTracker`/`generateKey`: ONE budget per credential across every route (the stock key
 *   hashes controller and handler names in, which would give each route its own budget).
 * - `handleRequest`: `X-RateLimit-Reset` in Unix seconds (the stock guard sends seconds-to-go),
 *   and over budget our 429 `{"message":"Too Many Attempts."}` with a plain `Retry-After`.
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

  override canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = this.context.principal();
    const limit = principal?.rateLimit.limit;
    if (!principal || principal.kind === 'platform_key' || limit === null || limit === undefined) {
      return Promise.resolve(true);
    }
    const ttl = principal.rateLimit.windowSeconds * 1000;
    return this.handleRequest({
      context,
      limit,
      ttl,
      blockDuration: ttl,
      throttler: { name: 'key', limit, ttl },
      getTracker: () => this.getTracker(),
      generateKey: (ctx, tracker, name) => this.generateKey(ctx, tracker, name),
    });
  }

  protected override getTracker(): Promise<string> {
    return Promise.resolve(this.context.principal()!.credentialId);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `rl:${name}:${tracker}`;
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, blockDuration } = request;
    const { res } = this.getRequestResponse(context);
    const key = budgetKey(this.context.principal()!.credentialId);
    const record = await this.budgets.increment(key, ttl, limit, blockDuration, 'key');
    this.setResponseHeader(res, 'X-RateLimit-Limit', limit);
    this.setResponseHeader(res, 'X-RateLimit-Remaining', Math.max(limit - record.totalHits, 0));
    this.setResponseHeader(res, 'X-RateLimit-Reset', Math.ceil(record.resetAt / 1000));
    if (record.isBlocked) throw new TooManyRequestsError(Math.max(record.timeToBlockExpire, 1));
    return true;
  }
}
