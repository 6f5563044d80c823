import { Inject, Injectable, Logger } from '@nestjs/common';
import { KeygateClient, KeygateError, VerifyResult } from '@keygate/client';
import { KEYGATE_OPTIONS, KeygateModuleOptions } from './keygate.options';
import { VerificationCache } from './verification-cache';

/** Keygate's answer for a presented key, or `unavailable` (never cached: fail closed, ask again). */
export type Verification = { kind: 'answer'; result: VerifyResult } | { kind: 'unavailable' };

/**
 * Asks Keygate (`POST /keys/verify`) about a presented key, with a short positive and negative
 * cache and one call in flight per key (a burst of requests with the same new key makes one
 * call). A rate-limited answer is cached until its reset, not longer.
 */
@Injectable()
export class KeygateVerifier {
  private readonly client: KeygateClient;
  private readonly cache: VerificationCache<VerifyResult>;
  private readonly inFlight = new Map<string, Promise<Verification>>();
  private readonly logger = new Logger('Keygate');

  constructor(@Inject(KEYGATE_OPTIONS) private readonly options: KeygateModuleOptions) {
    this.client = new KeygateClient({
      baseUrl: options.baseUrl,
      token: options.verifierKey,
      timeoutMs: options.timeoutMs ?? 2000,
    });
    this.cache = new VerificationCache(
      (options.cacheTtlSeconds ?? 10) * 1000,
      options.cacheMaxEntries ?? 10_000,
    );
  }

  /** Synchronous on a cache hit, so a warm request costs one HMAC and a Map look-up. */
  verify(key: string, ip: string | undefined): Verification | Promise<Verification> {
    const digest = this.cache.digest(key, ip ?? '');
    const cached = this.cache.get(digest);
    if (cached) return { kind: 'answer', result: cached };
    let pending = this.inFlight.get(digest);
    if (!pending) {
      pending = this.ask(key, ip, digest).finally(() => this.inFlight.delete(digest));
      this.inFlight.set(digest, pending);
    }
    return pending;
  }

  private async ask(key: string, ip: string | undefined, digest: string): Promise<Verification> {
    try {
      const result = await this.client.verify({ key, ...(ip ? { ip } : {}) });
      const reset = result.ratelimit?.reset;
      const ttl = result.code === 'RATE_LIMITED' && reset ? reset * 1000 - Date.now() : undefined;
      this.cache.set(digest, result, ttl);
      return { kind: 'answer', result };
    } catch (error) {
      // Keygate away, 5xx, or refusing the verifier key itself: no answer about this key. The
      // line names the status and Keygate's message, never a key.
      const status = error instanceof KeygateError ? error.status : 'error';
      this.logger.warn(`Keygate did not verify (${status}: ${(error as Error).message}); answering 503`);
      return { kind: 'unavailable' };
    }
  }
}
