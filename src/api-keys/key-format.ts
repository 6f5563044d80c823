import { randomBytes } from 'node:crypto';
import type { KeyEnvironment } from './api-key.entity';
import { crc32Ascii } from './crc32';

/**
 * `sk_live_<key id>_<secret><checksum>`, GitHub-style:
 * - a typed prefix: `sk_live_`/`sk_test_` workspace keys, `ut_` user tokens, `kgp_` platform keys;
 * - a public key id (16 base62 chars, ~95 bits): the look-up value, safe to show;
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

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_ID_LENGTH = 16;
const SECRET_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const SHAPE = /^(sk_live|sk_test|ut|kgp)_([0-9A-Za-z]{16})_([0-9A-Za-z]{38})$/;
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

function checksum(body: string): string {
  let n = crc32Ascii(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function generateKey(kind: PresentedKind, environment: KeyEnvironment = 'live'): { key: string } & ParsedKey {
  const keyId = randomBase62(KEY_ID_LENGTH);
  const typePrefix = TYPE_PREFIX[kind](environment);
  const body = `${typePrefix}_${keyId}_${randomBase62(SECRET_LENGTH)}`;
  return { key: body + checksum(body), kind, environment, keyId, prefix: `${typePrefix}_${keyId}` };
}

/** Shape and checksum only: no secret is checked here. Returns null for anything malformed. */
export function parseKey(value: string): ParsedKey | null {
  if (value.length > MAX_KEY_LENGTH) return null;
  const match = SHAPE.exec(value);
  if (!match) return null;
  const body = value.slice(0, value.length - CHECKSUM_LENGTH);
  if (checksum(body) !== value.slice(-CHECKSUM_LENGTH)) return null;
  const [, type, keyId] = match;
  const kind: PresentedKind = type === 'ut' ? 'user_token' : type === 'kgp' ? 'platform_key' : 'workspace_key';
  const environment: KeyEnvironment = type === 'sk_test' ? 'test' : 'live';
  return { kind, environment, keyId, prefix: `${type}_${keyId}` };
}

export const KEY_FORMAT = { KEY_ID_LENGTH, SECRET_LENGTH, CHECKSUM_LENGTH };
