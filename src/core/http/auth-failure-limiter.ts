import { Injectable, Logger } from '@nestjs/common';
import { addressBucket, FixedWindowCounter } from '../common/fixed-window-counter';
import { TooManyRequestsError } from '../errors';
import { Metrics } from '../metrics/metrics';
import { InjectConfig, KeygateConfig } from '../config/keygate.config';

const WINDOW_MS = 60_000;
/** Distinct addresses tracked per minute; locked-out ones survive a flood (FixedWindowCounter). */
const CAPACITY = 200_000;
/** Failure lines written a second at most, whatever the number of addresses failing. */
const LOG_LINES_PER_SECOND = 20;
/** Distinct addresses a summary line counts exactly; past this it says "10000+". */
const MAX_SUMMARISED_ADDRESSES = 10_000;

/**
 * Failed authentications per client address (IPv6 by /64), AUTH_FAILURE_LIMIT a minute, in
 * process. Checked before any database work, so a key-guessing client costs a map look-up.
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly failures: FixedWindowCounter;
  private readonly logger = new Logger('Auth');
  private logSecond = 0;
  private linesThisSecond = 0;
  /** Failures of this second past the line budget: by reason, and the addresses they came from. */
  private unlogged = new Map<string, number>();
  private unloggedFrom = new Set<string>();

  constructor(
    @InjectConfig() private readonly config: KeygateConfig,
    private readonly metrics: Metrics,
  ) {
    this.failures = new FixedWindowCounter(WINDOW_MS, CAPACITY, config.authFailureLimit);
  }

  /** Has this address used up its failures for the minute? */
  isLocked(ip: string, now = Date.now()): boolean {
    return this.failures.count(addressBucket(ip), now) >= this.config.authFailureLimit;
  }

  /** The 429 a locked address gets, with how long until its window ends. */
  refusal(ip: string, now = Date.now()): TooManyRequestsError {
    this.metrics.authLockouts.inc();
    return new TooManyRequestsError(
      Math.max(1, Math.ceil(this.failures.msLeft(addressBucket(ip), now) / 1000)),
    );
  }

  /**
   * One failed authentication, wherever it happened (the guard chain, OAuth introspection):
   * counted, measured, and logged for the first few of an address a minute, then one line at the
   * 10th, 100th, 1000th…, so a key-guessing flood cannot flood the log too. Returns the count.
   */
  noteFailure(reason: string, ip: string, prefix?: string, now = Date.now()): number {
    this.metrics.verification(reason);
    const count = this.recordFailure(ip, now);
    if ((count <= 5 || Number.isInteger(Math.log10(count))) && this.mayLog(now, reason, ip)) {
      this.logger.warn(
        `authentication failed: reason=${reason} ip=${ip}${prefix ? ` key=${prefix}` : ''} failures_this_minute=${count}`,
      );
    }
    return count;
  }

  /**
   * At most LOG_LINES_PER_SECOND failure lines a second in all: a flood from many addresses (each
   * under its own few lines) would otherwise write one line per request. What was left out is
   * summed up in one line at the next failure after that second: how many, by reason, from how
   * many addresses (the metrics count every one).
   */
  private mayLog(now: number, reason: string, ip: string): boolean {
    const second = Math.floor(now / 1000);
    if (second !== this.logSecond) {
      if (this.unlogged.size > 0) {
        const total = [...this.unlogged.values()].reduce((a, b) => a + b, 0);
        const reasons = [...this.unlogged].map(([r, n]) => `${r}=${n}`).join(' ');
        const from =
          this.unloggedFrom.size >= MAX_SUMMARISED_ADDRESSES
            ? `${MAX_SUMMARISED_ADDRESSES}+`
            : this.unloggedFrom.size;
        this.logger.warn(
          `authentication failed ${total} more times in a second from ${from} addresses, not logged one by one: ${reasons}`,
        );
      }
      this.logSecond = second;
      this.linesThisSecond = 0;
      this.unlogged = new Map();
      this.unloggedFrom = new Set();
    }
    if (this.linesThisSecond < LOG_LINES_PER_SECOND) {
      this.linesThisSecond++;
      return true;
    }
    this.unlogged.set(reason, (this.unlogged.get(reason) ?? 0) + 1);
    if (this.unloggedFrom.size < MAX_SUMMARISED_ADDRESSES) this.unloggedFrom.add(addressBucket(ip));
    return false;
  }

  /** Past AUTH_FAILURE_LIMIT this minute? */
  exceeded(count: number): boolean {
    return count > this.config.authFailureLimit;
  }

  /** Counts one failure; returns how many this address has had in the current minute. */
  recordFailure(ip: string, now = Date.now()): number {
    return this.failures.hit(addressBucket(ip), now);
  }
}
