import { createHmac } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256';

const reference = (key: Buffer, message: string) =>
  createHmac('sha256', key).update(message, 'utf8').digest();

/** mulberry32: a seeded generator, so a failing input can be replayed (HMAC_SEED=…). */
const SEED = Number(process.env.HMAC_SEED ?? 20261201);
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = seeded(SEED);
const randomBytes = (length: number) => Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)));

describe('HmacSha256', () => {
  // RFC 4231 section 4. Cases 3 and 4 hash binary messages (0xdd, 0xcd bytes); our input is
  // always text, whose non-ASCII goes to node:crypto, so those two have no text form to check.
  it.each([
    [
      '1',
      Buffer.alloc(20, 0x0b),
      'Hi There',
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    ],
    [
      '2',
      Buffer.from('Jefe'),
      'what do ya want for nothing?',
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    ],
    [
      '5 (truncated to 128 bits)',
      Buffer.alloc(20, 0x0c),
      'Test With Truncation',
      'a3b6167473100ee06e0c796c2955552b',
    ],
    [
      '6',
      Buffer.alloc(131, 0xaa),
      'Test Using Larger Than Block-Size Key - Hash Key First',
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    ],
    [
      '7',
      Buffer.alloc(131, 0xaa),
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    ],
  ])('matches RFC 4231 test case %s', (_name, key, message, expected) => {
    expect(new HmacSha256(key).digest(message).toString('hex').slice(0, expected.length)).toBe(expected);
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
