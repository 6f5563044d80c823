import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';

/**
 * The secrets of a session, all derived from the cookie's random value under APP_KEY: the row
 * stores `hash(secret)`, the page gets `csrf(secret)`. Nothing needs storing for CSRF, and
 * neither value lets anyone compute the cookie back.
 */
@Injectable()
export class SessionSecrets {
  private readonly key: Buffer;

  constructor(@InjectConfig() config: KeygateConfig) {
    this.key = Buffer.from(config.appKey, 'utf8');
  }

  /** 256 random bits, base64url (43 characters). */
  generate(): string {
    return randomBytes(32).toString('base64url');
  }

  hash(secret: string): string {
    return createHmac('sha256', this.key).update(`session:${secret}`).digest('hex');
  }

  csrf(secret: string): string {
    return createHmac('sha256', this.key).update(`csrf:${secret}`).digest('base64url');
  }

  csrfMatches(secret: string, presented: string | null): boolean {
    if (presented === null) return false;
    const expected = Buffer.from(this.csrf(secret));
    const given = Buffer.from(presented);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
