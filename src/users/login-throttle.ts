import { Injectable } from '@nestjs/common';
import { addressBucket, FixedWindowCounter } from '../core/common/fixed-window-counter';
import { TooManyRequestsError } from '../core/errors';

/** Login attempts a minute; in-process, like AuthFailureLimiter (each instance counts its own). */
export const LOGIN_LIMITS = { perEmail: 10, perIp: 30, windowMs: 60_000 };

/** Distinct emails and addresses tracked per minute; locked ones survive a flood of new ones. */
const CAPACITY = 200_000;

/**
 * Password guessing is throttled two ways: per email, so a botnet spread over many addresses
 * still gets 10 guesses a minute at one account, and per client address (IPv6 by /64), so one
 * address cannot spray many accounts. Every attempt counts (counted before bcrypt, so parallel
 * guesses cannot all slip in); a successful login clears its email's count. The per-email limit
 * lets anyone slow one account's logins for a minute, the usual price of stopping distributed
 * guessing. Memory is bounded without ever forgetting a locked key (FixedWindowCounter).
 */
@Injectable()
export class LoginThrottle {
  private readonly byEmail = new FixedWindowCounter(
    LOGIN_LIMITS.windowMs,
    CAPACITY,
    LOGIN_LIMITS.perEmail + 1,
  );
  private readonly byIp = new FixedWindowCounter(LOGIN_LIMITS.windowMs, CAPACITY, LOGIN_LIMITS.perIp + 1);

  /** Counts this attempt; 429 (with the longer of the two waits) when either limit is passed. */
  hit(tenantId: string, email: string, ip: string, now = Date.now()): void {
    const emailKey = `${tenantId}:${email}`;
    const ipKey = addressBucket(ip);
    const waits: number[] = [];
    if (this.byEmail.hit(emailKey, now) > LOGIN_LIMITS.perEmail)
      waits.push(this.byEmail.msLeft(emailKey, now));
    if (this.byIp.hit(ipKey, now) > LOGIN_LIMITS.perIp) waits.push(this.byIp.msLeft(ipKey, now));
    if (waits.length > 0) throw new TooManyRequestsError(Math.max(1, Math.ceil(Math.max(...waits) / 1000)));
  }

  succeeded(tenantId: string, email: string): void {
    this.byEmail.reset(`${tenantId}:${email}`);
  }
}
