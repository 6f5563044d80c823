import { createHmac } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256';
import { BASE62, randomBase62 } from './key-format';

const RANDOM_LENGTH = 10; // ~59.5 bits: ids stay unique (the unique index has the last word)
const TAG_LENGTH = 6; // ~35.7 bits: one forged id in ~5.7e10 reaches the database
const TAG_SPACE = 62 ** TAG_LENGTH;

/**
 * The last 6 characters of every key id are a MAC of the first 10 under a key derived from
 * APP_KEY, so the server tells an id it issued from an invented one without a database query.
 *
 * Why this and not a negative cache or a filter of known ids: the key's CRC32 is public, so
 * anyone can mint well-formed keys with random ids; a negative cache never sees the same random
 * id twice, and a filter of existing ids must be loaded at boot and kept current on every
 * instance before a new key's first use. The tag needs no memory, no coordination, and holds on
 * an instance that started a second ago. Ids issued before the tag existed are remembered at boot
 * (UntaggedKeyIds); no new one is ever issued.
 */
export class KeyIdTag {
  private readonly mac: HmacSha256;

  constructor(appKey: string) {
    // A key of its own (domain separation): a tag never says anything about a key's hash.
    this.mac = new HmacSha256(createHmac('sha256', appKey).update('keygate/key-id-tag/v1').digest());
  }

  /** A fresh 16-character key id: 10 random base62 characters and their tag. */
  mint(): string {
    const random = randomBase62(RANDOM_LENGTH);
    return random + this.tagOf(random);
  }

  /** Whether the id carries the tag only this server can compute (constant time over the tag). */
  carriesTag(keyId: string): boolean {
    if (keyId.length !== RANDOM_LENGTH + TAG_LENGTH) return false;
    const expected = this.tagOf(keyId.slice(0, RANDOM_LENGTH));
    let difference = 0;
    for (let i = 0; i < TAG_LENGTH; i++)
      difference |= expected.charCodeAt(i) ^ keyId.charCodeAt(RANDOM_LENGTH + i);
    return difference === 0;
  }

  private tagOf(random: string): string {
    const digest = this.mac.digest(random);
    // 40 bits of the MAC, reduced to 6 base62 digits (62^6 ≈ 2^35.7; each value within 5% of equally likely).
    let n = (digest.readUInt32BE(0) * 256 + digest[4]) % TAG_SPACE;
    let out = '';
    for (let i = 0; i < TAG_LENGTH; i++) {
      out = BASE62[n % 62] + out;
      n = Math.floor(n / 62);
    }
    return out;
  }
}
