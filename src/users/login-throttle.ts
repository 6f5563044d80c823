import { Injectable } from '@nestjs/common';
import { TooManyRequestsError } from '../common/errors';

/** Login attempts a minute; in-process, like AuthFailureLimiter (each instance counts its own). */
export const LOGIN_LIMITS = { perEmail: 10, perIp: 30, windowMs: 60_000 };

interface Window {
  start: number;
  count: number;
}

/**
 * Password guessing is throttled two ways: per email, so a botnet spread over many addresses
 * still gets 10 guesses a minute at one account, and per client IP, so one address cannot spray
 * many accounts. Every attempt counts (counted before bcrypt, so parallel guesses cannot all slip
 * in); a successful login clears its email's count. The per-email limit lets anyone slow one
 * account's logins for a minute, the usual price of stopping distributed guessing.
 */
@Injectable()
export class LoginThrottle {
  private windows = new Map<string, Window>();

  /** Counts this attempt; 429 (with the longer of the two waits) when either limit is passed. */
  hit(tenantId: string, email: string, ip: string, now = Date.now()): void {
    const byEmail = this.bump(`email:${tenantId}:${email}`, now);
    const byIp = this.bump(`ip:${ip}`, now);
    const over = [
      byEmail.count > LOGIN_LIMITS.perEmail ? byEmail : null,
      byIp.count > LOGIN_LIMITS.perIp ? byIp : null,
    ];
    const waits = over
      .filter((w): w is Window => w !== null)
      .map((w) => w.start + LOGIN_LIMITS.windowMs - now);
    if (waits.length > 0) throw new TooManyRequestsError(Math.max(1, Math.ceil(Math.max(...waits) / 1000)));
  }

  succeeded(tenantId: string, email: string): void {
    this.windows.delete(`email:${tenantId}:${email}`);
  }

  private bump(key: string, now: number): Window {
    const window = this.windows.get(key);
    if (window && now - window.start < LOGIN_LIMITS.windowMs) {
      window.count++;
      return window;
    }
    // Bounded memory under a flood of distinct emails: forgetting everything is the safe failure.
    if (this.windows.size > 100_000) this.windows = new Map();
    const fresh = { start: now, count: 1 };
    this.windows.set(key, fresh);
    return fresh;
  }
}
