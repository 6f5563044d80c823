import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc32Ascii } from './crc32';

describe('crc32Ascii', () => {
  it('gives zlib’s CRC-32 for ASCII strings of every length a key body has, and more', () => {
    expect(crc32Ascii('')).toBe(0);
    expect(crc32Ascii('123456789')).toBe(0xcbf43926); // the standard check value
    for (let length = 0; length < 120; length++) {
      const text = randomBytes(length).toString('base64').slice(0, length);
      expect(crc32Ascii(text)).toBe(crc32(text));
    }
  });
});
