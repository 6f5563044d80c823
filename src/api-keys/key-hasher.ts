import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InjectConfig, KeygateConfig } from '../config/keygate.config';

/**
 * Keys are stored as HMAC-SHA-256 under APP_KEY. A key carries ~190 bits of randomness, so a slow
 * password hash buys nothing against guessing, while bcrypt (cost 10, ~50 ms here) would put a
 * CPU-bound wait on every cache miss and truncate at 72 bytes. The HMAC key keeps a stolen
 * database useless without APP_KEY.
 */
@Injectable()
export class KeyHasher {
  private readonly secret: Buffer;

  constructor(@InjectConfig() config: KeygateConfig) {
    this.secret = Buffer.from(config.appKey, 'utf8');
  }

  hash(key: string): string {
    return createHmac('sha256', this.secret).update(key, 'utf8').digest('hex');
  }

  /** Constant-time comparison of a presented key against a stored hash. */
  matches(key: string, storedHash: string): boolean {
    const presented = Buffer.from(this.hash(key), 'hex');
    const stored = Buffer.from(storedHash, 'hex');
    return presented.length === stored.length && timingSafeEqual(presented, stored);
  }
}
