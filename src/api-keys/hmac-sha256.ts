import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA-256 (RFC 2104 over FIPS 180-4) in plain TypeScript, for the one call on every
 * authenticated request: hashing the presented key to compare it with the stored hash.
 *
 * Why not `createHmac`: inside a busy server each call costs ~15 µs of CPU (OpenSSL 3 fetches the
 * digest and builds a fresh context per call, with caches cold between requests), a third of
 * what the whole guard chain cost in `npm run bench`; in a tight loop it is 3 µs, which is why
 * micro-benchmarks miss it. This version precomputes the key's inner and outer pad blocks once
 * (the standard "midstate" optimisation), so a ≤ 55-byte key costs three compressions, ~1.6 µs,
 * and stays that fast between requests. The output is bit-for-bit `createHmac('sha256', key)`;
 * hmac-sha256.spec.ts checks it against node:crypto over thousands of inputs, and every stored
 * hash keeps working, and KeyHasher checks it against createHmac once at boot. Past the ASCII
 * check below, no branch or table index depends on the message's content, so every ASCII key of
 * a given length takes the same time.
 *
 * Only ASCII messages up to MAX_FAST_LENGTH characters take this path (every well-formed key
 * does); the first non-ASCII character sends the message to node:crypto instead, an early return
 * that tells only "ASCII or not", so the output never depends on which path ran.
 */
// The message and SHA-256's 9 bytes of padding in at most three 64-byte blocks (192 of the
// scratch buffer's 256 bytes; the pad block is already in the midstate). Keys are ≤ 80 characters.
const MAX_FAST_LENGTH = 183;

const ROUND_CONSTANTS = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const INITIAL_STATE = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];
const BLOCK = 64;

export class HmacSha256 {
  /** SHA-256 state after the (key ⊕ ipad) block, and after the (key ⊕ opad) block. */
  private readonly innerStart = new Int32Array(8);
  private readonly outerStart = new Int32Array(8);
  // Scratch space, reused: JavaScript is single-threaded and digest() never yields.
  private readonly state = new Int32Array(8);
  private readonly schedule = new Int32Array(64);
  private readonly message = new Uint8Array(256);
  private readonly outerBlock = new Uint8Array(BLOCK);

  constructor(private readonly key: Buffer) {
    // A key longer than a block is replaced by its SHA-256 (RFC 2104, section 2).
    const block = key.length > BLOCK ? createHash('sha256').update(key).digest() : key;
    const pad = new Uint8Array(BLOCK);
    for (const [start, byte] of [
      [this.innerStart, 0x36],
      [this.outerStart, 0x5c],
    ] as const) {
      pad.fill(byte);
      for (let i = 0; i < block.length; i++) pad[i] ^= block[i];
      start.set(INITIAL_STATE);
      this.compress(start, pad, 0);
    }
  }

  digest(message: string): Buffer {
    const state = this.run(message);
    if (state === null) return this.fallback(message);
    const out = Buffer.allocUnsafe(32);
    writeState(state, out);
    return out;
  }

  /**
   * Whether HMAC(message) equals `expected` (32 bytes), in constant time: every byte is compared,
   * with no early exit, and nothing is allocated (the hot path's comparison).
   */
  matches(message: string, expected: Uint8Array): boolean {
    if (expected.length !== 32) return false;
    const state = this.run(message);
    if (state === null) return timingSafeEqual(this.fallback(message), expected);
    let difference = 0;
    for (let i = 0; i < 8; i++) {
      const word = state[i];
      const j = i * 4;
      difference |=
        ((word >>> 24) ^ expected[j]) |
        (((word >>> 16) & 0xff) ^ expected[j + 1]) |
        (((word >>> 8) & 0xff) ^ expected[j + 2]) |
        ((word & 0xff) ^ expected[j + 3]);
    }
    return difference === 0;
  }

  /** The final SHA-256 state (the MAC's eight words), or null if the message needs node:crypto. */
  private run(message: string): Int32Array | null {
    const length = message.length;
    if (length > MAX_FAST_LENGTH) return null;
    const bytes = this.message;
    for (let i = 0; i < length; i++) {
      const code = message.charCodeAt(i);
      if (code > 0x7f) return null;
      bytes[i] = code;
    }
    // Inner hash: SHA-256 padding of (64 pad bytes + message), continuing from the midstate.
    const blocks = (length + 9 + BLOCK - 1) >> 6;
    const end = blocks * BLOCK;
    bytes.fill(0, length, end);
    bytes[length] = 0x80;
    writeBitLength(bytes, end, BLOCK + length);
    const state = this.state;
    state.set(this.innerStart);
    for (let b = 0; b < blocks; b++) this.compress(state, bytes, b * BLOCK);
    // Outer hash: (64 pad bytes + 32-byte inner digest), one block from the outer midstate.
    const outer = this.outerBlock;
    writeState(state, outer);
    outer.fill(0, 32);
    outer[32] = 0x80;
    writeBitLength(outer, BLOCK, BLOCK + 32);
    state.set(this.outerStart);
    this.compress(state, outer, 0);
    return state;
  }

  private fallback(message: string): Buffer {
    return createHmac('sha256', this.key).update(message, 'utf8').digest();
  }

  /** One SHA-256 compression of the 64-byte block at `offset` into `h` (FIPS 180-4, 6.2.2). */
  private compress(h: Int32Array, bytes: Uint8Array, offset: number): void {
    const w = this.schedule;
    for (let i = 0; i < 16; i++) {
      const j = offset + i * 4;
      w[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
    }
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15];
      const w2 = w[i - 2];
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7]; // prettier-ignore
    for (let i = 0; i < 64; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (k + s1 + ((e & f) ^ (~e & g)) + ROUND_CONSTANTS[i] + w[i]) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0] + a) | 0;
    h[1] = (h[1] + b) | 0;
    h[2] = (h[2] + c) | 0;
    h[3] = (h[3] + d) | 0;
    h[4] = (h[4] + e) | 0;
    h[5] = (h[5] + f) | 0;
    h[6] = (h[6] + g) | 0;
    h[7] = (h[7] + k) | 0;
  }
}

/** Big-endian message length in bits in the last 8 bytes before `end` (lengths here are < 2^29). */
function writeBitLength(bytes: Uint8Array, end: number, byteLength: number): void {
  const bits = byteLength * 8;
  bytes[end - 4] = bits >>> 24;
  bytes[end - 3] = bits >>> 16;
  bytes[end - 2] = bits >>> 8;
  bytes[end - 1] = bits;
}

function writeState(state: Int32Array, out: Uint8Array): void {
  for (let i = 0; i < 8; i++) {
    const word = state[i];
    out[i * 4] = word >>> 24;
    out[i * 4 + 1] = word >>> 16;
    out[i * 4 + 2] = word >>> 8;
    out[i * 4 + 3] = word;
  }
}
