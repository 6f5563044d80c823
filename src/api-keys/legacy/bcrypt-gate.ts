import { compare } from 'bcrypt';
import { FixedWindowCounter } from '../../core/common/fixed-window-counter';
import { TooManyRequestsError } from '../../core/errors';

/** bcrypt checks running at once (libuv's thread pool has 4 threads by default). */
const CONCURRENCY = 4;
/** Checks allowed to wait for a thread; beyond that, a request is refused at once (429). */
const MAX_WAITING = 16;
/**
 * Failed bcrypt checks of one stored key from one client address a minute, after which that
 * address's guesses at it are refused without bcrypt (the key itself keeps working elsewhere).
 */
const FAILURES_PER_KEY = 10;

/**
 * Bounds the one slow hash left on the hot path: the first use of an imported bcrypt key.
 * - bcrypt runs in the native library's thread pool (async `compare`), never on the event loop;
 * - at most CONCURRENCY run and MAX_WAITING wait; a flood beyond that gets 429 at once rather
 *   than a queue (an unknown prefix never gets here: no row, no bcrypt);
 * - the same presented value is checked once even when it arrives many times at once;
 * - a stored key that failed FAILURES_PER_KEY times this minute from one client address is
 *   refused without bcrypt for that address only, so guessing at one known prefix costs a map
 *   look-up, and nobody can lock the genuine holder out by guessing (AuthFailureLimiter bounds
 *   every address, the queue bounds the total).
 * Keys over 72 bytes are never given to bcrypt (it would ignore the rest).
 */
export class BcryptGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private readonly failures = new FixedWindowCounter(60_000, 100_000, FAILURES_PER_KEY);

  /**
   * `flightKey` identifies (stored key, presented value) without holding the plaintext; `client`
   * is the caller's address bucket (addressBucket), which failures are counted under.
   */
  check(
    presented: string,
    hash: string,
    storedKeyId: string,
    flightKey: string,
    client = 'unknown',
  ): Promise<boolean> {
    if (Buffer.byteLength(presented) > 72) return Promise.resolve(false);
    const failureKey = `${storedKeyId}\u0000${client}`;
    if (this.failures.count(failureKey) >= FAILURES_PER_KEY) return Promise.resolve(false);
    const pending = this.inFlight.get(flightKey);
    if (pending) return pending;
    if (this.running >= CONCURRENCY && this.waiting.length >= MAX_WAITING)
      return Promise.reject(new TooManyRequestsError(1));
    const result = this.run(presented, hash).then((ok) => {
      if (!ok) this.failures.hit(failureKey);
      return ok;
    });
    this.inFlight.set(flightKey, result);
    void result.finally(() => this.inFlight.delete(flightKey)).catch(() => undefined);
    return result;
  }

  private async run(presented: string, hash: string): Promise<boolean> {
    if (this.running >= CONCURRENCY) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      // PHP writes $2y$; it is the same algorithm as $2b$, which is what the library reads.
      return await compare(presented, hash.replace(/^\$2y\$/, '$2b$'));
    } catch {
      return false;
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
