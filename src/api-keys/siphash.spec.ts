import { SipHash24 } from './siphash';

/** The reference vectors (SipHash paper, appendix A; vectors.h): key 00..0f, message 00..(n-1). */
const KEY = Buffer.from([...Array(16).keys()]);
const message = (n: number) => String.fromCharCode(...Array(n).keys());
const hex = (h: SipHash24) =>
  Buffer.concat([
    Buffer.from([h.lo & 0xff, (h.lo >>> 8) & 0xff, (h.lo >>> 16) & 0xff, h.lo >>> 24]),
    Buffer.from([h.hi & 0xff, (h.hi >>> 8) & 0xff, (h.hi >>> 16) & 0xff, h.hi >>> 24]),
  ]).toString('hex');

describe('SipHash24', () => {
  it('matches the reference vectors (output bytes little-endian)', () => {
    const h = new SipHash24(KEY);
    const expected: Record<number, string> = {
      0: '310e0edd47db6f72',
      1: 'fd67dc93c539f874',
      7: '37d1018bf50002ab',
      8: '6224939a79f5f593',
      15: 'e545be4961ca29a1',
      63: '724506eb4c328a95',
    };
    for (const [n, out] of Object.entries(expected)) {
      h.hash(message(Number(n)));
      expect([n, hex(h)]).toEqual([n, out]);
    }
  });

  it('gives different tags under different keys, and the same tag for the same input', () => {
    const a = new SipHash24();
    const b = new SipHash24();
    a.hash('sk_live_0123456789abcdef_secret');
    const [hi, lo] = [a.hi, a.lo];
    a.hash('sk_live_0123456789abcdef_secret');
    expect([a.hi, a.lo]).toEqual([hi, lo]);
    b.hash('sk_live_0123456789abcdef_secret');
    expect([b.hi, b.lo]).not.toEqual([hi, lo]);
    expect(() => new SipHash24(Buffer.alloc(8))).toThrow();
  });
});
