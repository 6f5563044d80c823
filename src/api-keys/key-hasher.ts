import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { HmacSha256 } from './hmac-sha256';
import { KeyIdTag } from './key-id-tag';

/**
 * Keys are stored as HMAC-SHA-256 under APP_KEY. A key carries ~190 bits of randomness, so a slow
 * password hash buys nothing against guessing, while bcrypt (cost 10, ~50 ms here) would put a
 * CPU-bound wait on every cache miss and truncate at 72 bytes. The HMAC key keeps a stolen
 * database useless without APP_KEY. The HMAC is computed by HmacSha256 (same output as
 * node:crypto's, several times cheaper per request; see there).
 */
@Injectable()
export class KeyHasher {
  private readonly hmac: HmacSha256;
  /** Mints and recognises key ids (the other use of APP_KEY on the hot path). */
  readonly keyIds: KeyIdTag;

  constructor(@InjectConfig() config: KeygateConfig) {
    const key = Buffer.from(config.appKey, 'utf8');
    this.keyIds = new KeyIdTag(config.appKey);
    this.hmac = new HmacSha256(key);
    // Hand-written crypto earns a check where it runs: one message against node:crypto at boot.
    const probe = 'sk_live_keygateSelfCheck_0123456789abcdefghijABCDEFGHIJ012345';
    if (!this.hmac.digest(probe).equals(createHmac('sha256', key).update(probe).digest())) {
      throw new Error('HmacSha256 disagrees with node:crypto on this platform: refusing to start');
    }
  }

  /** The hex digest stored in the database. */
  hash(key: string): string {
    return this.hmac.digest(key).toString('hex');
  }

  /**
   * Constant-time comparison of a presented key against a stored hash (hex, or already decoded:
   * the key cache keeps it decoded so the hot path does no hex work).
   */
  matches(key: string, storedHash: string | Buffer): boolean {
    const stored = typeof storedHash === 'string' ? Buffer.from(storedHash, 'hex') : storedHash;
    return this.hmac.matches(key, stored);
  }
}
