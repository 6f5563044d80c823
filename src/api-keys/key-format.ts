import { randomBytes } from 'node:crypto';
import type { KeyEnvironment } from './api-key.entity';
import { crc32Ascii } from './crc32';

/**
 * `sk_live_<key id>_<secret><checksum>`, GitHub-style:
 * - a typed prefix: `sk_live_`/`sk_test_` workspace keys, `ut_` user tokens, `kgp_` platform keys;
 * - a public key id (16 base62 chars: 10 random and a 6-character tag only the server can
 *   compute, see KeyIdTag): the look-up value, safe to show;
 * - a secret of 32 base62 chars (~190 bits) from crypto.randomBytes;
 * - a CRC32 of everything before it, 6 base62 chars, so a mistyped or invented key is refused
 *   before any cache or database look-up.
 */
export type PresentedKind = 'workspace_key' | 'user_token' | 'platform_key';

export interface ParsedKey {
  kind: PresentedKind;
  environment: KeyEnvironment;
  keyId: string;
  /** Type, environment and key id: what listings and logs may show. */
  prefix: string;
}

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_ID_LENGTH = 16;
const SECRET_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const SHAPE = /^(?:sk_live|sk_test|ut|kgp)_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}$/;
/** Character code → base62 digit value (only read for characters SHAPE accepted). */
const BASE62_VALUE: number[] = [];
for (let i = 0; i < BASE62.length; i++) BASE62_VALUE[BASE62.charCodeAt(i)] = i;
/** Longest key we ever issue; anything longer is refused before parsing. */
export const MAX_KEY_LENGTH = 80;

const TYPE_PREFIX: Record<PresentedKind, (env: KeyEnvironment) => string> = {
  workspace_key: (env) => `sk_${env}`,
  user_token: () => 'ut',
  platform_key: () => 'kgp',
};

export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 62 * 4 = 248: rejecting bytes >= 248 keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** The 6 base62 characters of CRC32 that end every key (exported for tests that forge keys). */
export function checksum(body: string): string {
  let n = crc32Ascii(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** A new key around `keyId` (from KeyIdTag.mint, so that the server can recognise it). */
export function generateKey(
  kind: PresentedKind,
  environment: KeyEnvironment,
  keyId: string,
): { key: string } & ParsedKey {
  const prefix = keyPrefix({ kind, environment, keyId });
  const body = `${prefix}_${randomBase62(SECRET_LENGTH)}`;
  return { key: body + checksum(body), kind, environment, keyId, prefix };
}

/**
 * Shape and checksum only: no secret is checked here. Returns null for anything malformed.
 * Runs on every presented key, so it allocates nothing until the key has passed both checks.
 */
export function parseKey(value: string): ParsedKey | null {
  if (value.length > MAX_KEY_LENGTH || !SHAPE.test(value)) return null;
  const bodyEnd = value.length - CHECKSUM_LENGTH;
  if (crc32Ascii(value, bodyEnd) !== decodeChecksum(value, bodyEnd)) return null;
  const typeEnd = bodyEnd - SECRET_LENGTH - 1 - KEY_ID_LENGTH - 1;
  const type = value.slice(0, typeEnd);
  const kind: PresentedKind =
    type === 'ut' ? 'user_token' : type === 'kgp' ? 'platform_key' : 'workspace_key';
  const environment: KeyEnvironment = type === 'sk_test' ? 'test' : 'live';
  const keyId = value.slice(typeEnd + 1, typeEnd + 1 + KEY_ID_LENGTH);
  return { kind, environment, keyId, prefix: value.slice(0, typeEnd + 1 + KEY_ID_LENGTH) };
}

/** The public prefix of a key (what `parseKey` returns as `prefix` for its plaintext). */
export function keyPrefix(key: { kind: PresentedKind; environment: KeyEnvironment; keyId: string }): string {
  return `${TYPE_PREFIX[key.kind](key.environment)}_${key.keyId}`;
}

/** The number the 6 base62 checksum characters at `start` encode (the inverse of `checksum`). */
function decodeChecksum(value: string, start: number): number {
  let n = 0;
  for (let i = start; i < start + CHECKSUM_LENGTH; i++) n = n * 62 + BASE62_VALUE[value.charCodeAt(i)];
  return n;
}

export const KEY_FORMAT = { KEY_ID_LENGTH, SECRET_LENGTH, CHECKSUM_LENGTH };
