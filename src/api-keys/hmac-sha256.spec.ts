import { createHmac, randomBytes } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256';

const reference = (key: Buffer, message: string) =>
  createHmac('sha256', key).update(message, 'utf8').digest();

describe('HmacSha256', () => {
  it('matches RFC 4231 test case 2 (short key, short message)', () => {
    const hmac = new HmacSha256(Buffer.from('Jefe'));
    expect(hmac.digest('what do ya want for nothing?').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('is bit-for-bit node:crypto for every message length the fast path takes, and past it', () => {
    for (const keyLength of [1, 16, 43, 64, 65, 200]) {
      const key = randomBytes(keyLength);
      const hmac = new HmacSha256(key);
      for (let length = 0; length <= 260; length++) {
        const message = randomBytes(length).toString('base64').slice(0, length);
        expect(hmac.digest(message).equals(reference(key, message))).toBe(true);
      }
    }
  });

  it('agrees on thousands of random keys in the issued format (the scratch buffers are reused)', () => {
    const key = Buffer.from('an-app-key-of-the-usual-length-0123456789');
    const hmac = new HmacSha256(key);
    for (let i = 0; i < 5000; i++) {
      const message = `sk_live_${randomBytes(12).toString('base64url')}_${randomBytes(30).toString('base64url')}`;
      expect(hmac.digest(message).equals(reference(key, message))).toBe(true);
    }
  });

  it('hands non-ASCII input to node:crypto, so the output never depends on the path taken', () => {
    const key = randomBytes(32);
    const hmac = new HmacSha256(key);
    for (const message of ['é', 'sk_live_ñ', '鍵'.repeat(70), `ok${'\u0080'}`]) {
      expect(hmac.digest(message).equals(reference(key, message))).toBe(true);
    }
  });

  it('matches() accepts exactly the right MAC: any flipped bit, a wrong length or a fallback input is judged right', () => {
    const key = randomBytes(40);
    const hmac = new HmacSha256(key);
    const message = 'sk_live_0123456789abcdef_0123456789abcdef0123456789abcdefAbCdEf';
    const mac = reference(key, message);
    expect(hmac.matches(message, mac)).toBe(true);
    for (let bit = 0; bit < 256; bit++) {
      const wrong = Buffer.from(mac);
      wrong[bit >> 3] ^= 1 << (bit & 7);
      expect(hmac.matches(message, wrong)).toBe(false);
    }
    expect(hmac.matches(message, mac.subarray(0, 31))).toBe(false);
    expect(hmac.matches(`${message}x`, mac)).toBe(false);
    const long = 'k'.repeat(300);
    expect(hmac.matches(long, reference(key, long))).toBe(true);
    expect(hmac.matches('é', reference(key, 'é'))).toBe(true);
  });
});
