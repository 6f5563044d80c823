import { randomBytes } from 'node:crypto';

/**
 * SipHash-2-4 (Aumasson & Bernstein, 2012): a keyed pseudo-random function with a 64-bit output,
 * designed for short inputs. It is what lets the hot path recognise a key it has already verified
 * without recomputing the HMAC (see VerifiedKeyTags): ~15 times less work than HMAC-SHA-256 on a
 * 60-character key, and without knowing the 128-bit key nobody can produce a matching tag with a
 * better chance than 2^-64 a guess.
 *
 * Written out on 32-bit halves (JavaScript has no fast 64-bit integers; BigInt allocates), and
 * over a string's char codes.
 * The result is left in `hi`/`lo` rather than returned, so that computing one allocates nothing.
 */
export class SipHash24 {
  hi = 0;
  lo = 0;
  private readonly k0h: number;
  private readonly k0l: number;
  private readonly k1h: number;
  private readonly k1l: number;

  /** `key`: 16 bytes; random per process by default (tags are never stored or shared). */
  constructor(key: Buffer = randomBytes(16)) {
    if (key.length !== 16) throw new Error('SipHash needs a 16-byte key');
    this.k0l = key.readUInt32LE(0);
    this.k0h = key.readUInt32LE(4);
    this.k1l = key.readUInt32LE(8);
    this.k1h = key.readUInt32LE(12);
  }

  /**
   * SipHash-2-4 of a string whose char codes are its bytes (ASCII or Latin-1; a Keygate key is
   * ASCII, checked by parseKey). One loop, no closure and no allocation: this runs per request.
   */
  hash(text: string): void {
    const length = text.length;
    // v0..v3 as (high, low) 32-bit halves; constants "somepseudorandomlygeneratedbytes".
    let v0h = (this.k0h ^ 0x736f6d65) >>> 0;
    let v0l = (this.k0l ^ 0x70736575) >>> 0;
    let v1h = (this.k1h ^ 0x646f7261) >>> 0;
    let v1l = (this.k1l ^ 0x6e646f6d) >>> 0;
    let v2h = (this.k0h ^ 0x6c796765) >>> 0;
    let v2l = (this.k0l ^ 0x6e657261) >>> 0;
    let v3h = (this.k1h ^ 0x74656462) >>> 0;
    let v3l = (this.k1l ^ 0x79746573) >>> 0;
    let t = 0;
    const words = (length >>> 3) + 1; // the last word holds the tail and the length
    // Two rounds per word (the "2"), then four to finalise (the "4").
    for (let w = 0; w <= words; w++) {
      let mh = 0;
      let ml = 0;
      let rounds = 4;
      if (w < words) {
        rounds = 2;
        const at = w * 8;
        if (w < words - 1) {
          ml =
            (text.charCodeAt(at) |
              (text.charCodeAt(at + 1) << 8) |
              (text.charCodeAt(at + 2) << 16) |
              (text.charCodeAt(at + 3) << 24)) >>>
            0;
          mh =
            (text.charCodeAt(at + 4) |
              (text.charCodeAt(at + 5) << 8) |
              (text.charCodeAt(at + 6) << 16) |
              (text.charCodeAt(at + 7) << 24)) >>>
            0;
        } else {
          mh = ((length & 0xff) << 24) >>> 0;
          for (let i = at; i < length; i++) {
            const shift = (i - at) * 8;
            if (shift < 32) ml = (ml | (text.charCodeAt(i) << shift)) >>> 0;
            else mh = (mh | (text.charCodeAt(i) << (shift - 32))) >>> 0;
          }
        }
        v3h = (v3h ^ mh) >>> 0;
        v3l = (v3l ^ ml) >>> 0;
      } else {
        v2l = (v2l ^ 0xff) >>> 0;
      }
      for (let r = 0; r < rounds; r++) {
        // v0 += v1; v1 = rotl(v1, 13) ^ v0; v0 = rotl(v0, 32)
        t = (v0l + v1l) >>> 0;
        v0h = (v0h + v1h + (t < v0l ? 1 : 0)) >>> 0;
        v0l = t;
        t = ((v1h << 13) | (v1l >>> 19)) >>> 0;
        v1l = (((v1l << 13) | (v1h >>> 19)) ^ v0l) >>> 0;
        v1h = (t ^ v0h) >>> 0;
        t = v0h;
        v0h = v0l;
        v0l = t;
        // v2 += v3; v3 = rotl(v3, 16) ^ v2
        t = (v2l + v3l) >>> 0;
        v2h = (v2h + v3h + (t < v2l ? 1 : 0)) >>> 0;
        v2l = t;
        t = ((v3h << 16) | (v3l >>> 16)) >>> 0;
        v3l = (((v3l << 16) | (v3h >>> 16)) ^ v2l) >>> 0;
        v3h = (t ^ v2h) >>> 0;
        // v0 += v3; v3 = rotl(v3, 21) ^ v0
        t = (v0l + v3l) >>> 0;
        v0h = (v0h + v3h + (t < v0l ? 1 : 0)) >>> 0;
        v0l = t;
        t = ((v3h << 21) | (v3l >>> 11)) >>> 0;
        v3l = (((v3l << 21) | (v3h >>> 11)) ^ v0l) >>> 0;
        v3h = (t ^ v0h) >>> 0;
        // v2 += v1; v1 = rotl(v1, 17) ^ v2; v2 = rotl(v2, 32)
        t = (v2l + v1l) >>> 0;
        v2h = (v2h + v1h + (t < v2l ? 1 : 0)) >>> 0;
        v2l = t;
        t = ((v1h << 17) | (v1l >>> 15)) >>> 0;
        v1l = (((v1l << 17) | (v1h >>> 15)) ^ v2l) >>> 0;
        v1h = (t ^ v2h) >>> 0;
        t = v2h;
        v2h = v2l;
        v2l = t;
      }
      if (w < words) {
        v0h = (v0h ^ mh) >>> 0;
        v0l = (v0l ^ ml) >>> 0;
      }
    }
    this.hi = (v0h ^ v1h ^ v2h ^ v3h) >>> 0;
    this.lo = (v0l ^ v1l ^ v2l ^ v3l) >>> 0;
  }
}
