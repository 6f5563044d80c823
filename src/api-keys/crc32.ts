/**
 * CRC-32 (IEEE 802.3, the polynomial of zlib and PNG) of an ASCII string, for key checksums.
 * node:zlib's crc32 gives the same numbers, but crossing into native code cost ~2 µs a call in
 * the request path against ~0.2 µs here; the checksum is computed on every presented key.
 * Callers pass only strings that matched the key's shape (ASCII), so each char is one byte.
 */
const TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 of `text`, or of its first `end` characters (no substring is made). */
export function crc32Ascii(text: string, end = text.length): number {
  let crc = -1;
  for (let i = 0; i < end; i++) crc = TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
