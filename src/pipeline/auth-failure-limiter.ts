import { Injectable } from '@nestjs/common';
import { TooManyRequestsError } from '../common/errors';
import { InjectConfig, KeygateConfig } from '../config/keygate.config';

const WINDOW_MS = 60_000;

/**
 * Failed authentications per client IP, AUTH_FAILURE_LIMIT a minute (fixed window, in process).
 * Checked before any parsing or HMAC, so a key-guessing client costs a map look-up.
 */
@Injectable()
export class AuthFailureLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(@InjectConfig() private readonly config: KeygateConfig) {}

  assertAllowed(ip: string, now = Date.now()): void {
    const window = this.windows.get(ip);
    if (!window || now - window.start >= WINDOW_MS) return;
    if (window.count >= this.config.authFailureLimit) {
      throw new TooManyRequestsError(Math.ceil((window.start + WINDOW_MS - now) / 1000));
    }
  }

  /** Counts one failure; returns how many this address has had in the current minute. */
  recordFailure(ip: string, now = Date.now()): number {
    const window = this.windows.get(ip);
    if (!window || now - window.start >= WINDOW_MS) {
      if (this.windows.size > 100_000) this.windows = new Map();
      this.windows.set(ip, { start: now, count: 1 });
      return 1;
    }
    return ++window.count;
  }
}
