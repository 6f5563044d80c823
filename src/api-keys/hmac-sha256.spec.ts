import { createHmac, randomBytes } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256';

const reference = (key: Buffer, message: string) => createHmac('sha256', key).update(message, 'utf8').digest();

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
});
