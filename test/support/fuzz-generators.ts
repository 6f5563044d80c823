import { validateHeaderName, validateHeaderValue } from 'node:http';
import { crc32Ascii } from '../../src/api-keys/crc32';
import { checksum, parseKey } from '../../src/api-keys/key-format';

/**
 * Seeded, reproducible generators for test/fuzz.e2e-spec.ts. Every choice comes from one PRNG
 * (mulberry32), so a seed replays the same sequence of shapes; only the real keys the app issues
 * (random by design) differ from run to run.
 */

export const DEFAULT_FUZZ_SEED = 0x6b657967;

/** mulberry32: a tiny 32-bit PRNG, good enough to spread fuzz cases and fully deterministic. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }

  /** A generator of its own, so adding cases to one phase does not shift another's sequence. */
  fork(label: string): Rng {
    return new Rng((this.seed ^ crc32Ascii(label)) >>> 0);
  }

  float(): number {
    return this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  weighted<T>(entries: readonly (readonly [number, T])[]): T {
    const total = entries.reduce((sum, [w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [w, value] of entries) {
      roll -= w;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1][1];
  }

  /** `n` distinct items of `items`, in their original order. */
  sample<T>(items: readonly T[], n: number): T[] {
    if (n >= items.length) return [...items];
    const chosen = new Set<number>();
    while (chosen.size < n) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]);
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Alphabets and the key format (src/api-keys/key-format.ts)
// ---------------------------------------------------------------------------------------------

const range = (from: number, to: number): string =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i)).join('');

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const PRINTABLE_ASCII = range(0x20, 0x7e);
/** Printable latin-1 (what Node's http client sends as one byte each in a header value). */
export const LATIN1_PRINTABLE = PRINTABLE_ASCII + range(0xa0, 0xff);
/** Characters Node's http client refuses in a header value (ERR_INVALID_CHAR): they are skipped. */
export const UNSENDABLE = '😀€—ſ中文ｓｋ\u202e\u200b\r\n\0\x01\x7f';

export const KEY_PREFIXES = ['sk_live', 'sk_test', 'ut', 'kgp'] as const;
const KEY_ID_LENGTH = 16;
const SECRET_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
/** The secret part of a key (secret + checksum): what must never reach a log. */
export const SECRET_TAIL_LENGTH = SECRET_LENGTH + CHECKSUM_LENGTH;
export const KEY_SHAPE = /^(?:sk_live|sk_test|ut|kgp)_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}$/;

/** The 6 base62 checksum characters key-format.ts appends (CRC32 of everything before them). */
export const checksumOf = checksum;

/** `<prefix>_<keyId>_<secret><checksum>` with a correct checksum: passes parseKey, matches nothing. */
export function forgeKey(prefix: string, keyId: string, secret: string): string {
  const body = `${prefix}_${keyId}_${secret}`;
  return body + checksumOf(body);
}

/** The same string with its last 6 characters replaced by the checksum of the rest. */
export function rechecksum(key: string): string {
  const body = key.slice(0, -CHECKSUM_LENGTH);
  return body + checksumOf(body);
}

export const isWellFormed = (value: string): boolean => parseKey(value) !== null;

export interface KeyParts {
  prefix: string;
  keyId: string;
  secret: string;
}

export function splitKey(key: string): KeyParts | null {
  const match = /^(sk_live|sk_test|ut|kgp)_([0-9A-Za-z]{16})_([0-9A-Za-z]{32})[0-9A-Za-z]{6}$/.exec(key);
  return match ? { prefix: match[1], keyId: match[2], secret: match[3] } : null;
}

/** Whether Node's http client would send this header line (it throws on anything else). */
export function sendableHeader(name: string, value: string | string[]): boolean {
  try {
    validateHeaderName(name);
    for (const v of Array.isArray(value) ? value : [value]) validateHeaderValue(name, v);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

export interface RealCredential {
  label: string;
  key: string;
  keyId: string;
}

export interface CredentialContext {
  /** Valid on the fuzzed tenant's host (at least two, for the "two different keys" shape). */
  own: RealCredential[];
  /** Valid only on another tenant. */
  foreign: RealCredential[];
  /** Revoked: valid shape, known id, right secret, and still refused. */
  revoked: RealCredential[];
  protectedPaths: string[];
}

/**
 * What the request is allowed to do:
 * - `never`: nothing in it is a valid credential for this host: 400/401/403/429 only;
 * - `may`: a valid own key, presented in a lenient but unambiguous way (edge whitespace, scheme
 *   case, base64 without padding...): a 200 is fine too;
 * - `must`: a valid own key presented exactly as product.md says (a control: 200).
 */
export type AuthExpectation = 'never' | 'may' | 'must';

export interface CredentialCase {
  /** `<shape> / <value class>`: what failures are grouped by. */
  cls: string;
  /** Host: the fuzzed tenant ('own') or the other one ('foreign'). */
  host: 'own' | 'foreign';
  path: string;
  headers: Record<string, string | string[]>;
  auth: AuthExpectation;
  /** The credential value itself (before any wrapping), for the log checks. */
  value: string;
  /** Total length of the header values, to tell a legitimate 431 (over Node's 16 KiB) apart. */
  headerBytes: number;
}

type RealKind = 'exact' | 'padded' | null;

interface Value {
  value: string;
  cls: string;
  /** `exact`: an own valid key as is; `padded`: with whitespace the parser or the guard may strip. */
  real: RealKind;
  /** When set, sent to the other tenant's host (an own valid key is then a foreign key there). */
  foreignHost?: boolean;
}

const HOSTILE_STRINGS = [
  "' OR '1'='1",
  '" OR ""="',
  "admin'--",
  '1; DROP TABLE api_keys',
  '%',
  '_',
  '%%',
  '%00',
  '\\',
  '\\x00',
  '../../etc/passwd',
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'true',
  'false',
  'NaN',
  '0',
  '-1',
  '[]',
  '{}',
  '[object Object]',
  '__proto__',
  'constructor',
  'toString',
  'Bearer',
  'Basic',
  'sk_live',
  'sk_live_',
  'sk_test_',
  'ut_',
  'kgp_',
  'sk_live__',
  'sk_',
  '_',
  '__',
  ':',
  'sk_live_:',
];

const WHITESPACE = [' ', '  ', '\t', ' \t ', '\t\t\t', ' \xa0', '\xa0'];

/** One character changed to another; a fixed number of draws, whatever the key, so runs replay. */
function flip(rng: Rng, key: string): string {
  const at = rng.int(0, key.length - 1);
  const others = (BASE62 + '_-+/=.~ ').replace(key[at], '');
  return key.slice(0, at) + others[rng.int(0, others.length - 1)] + key.slice(at + 1);
}

function swapCase(value: string): string {
  return [...value].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** Right prefix, wrong shape: every way the regex must refuse. */
function wrongShape(rng: Rng): string {
  const prefix = rng.pick(KEY_PREFIXES);
  const id = (n: number) => rng.chars(BASE62, n);
  const variants: (() => string)[] = [
    () => `${prefix}_${id(15)}_${id(38)}`,
    () => `${prefix}_${id(17)}_${id(38)}`,
    () => `${prefix}_${id(16)}_${id(37)}`,
    () => `${prefix}_${id(16)}_${id(39)}`,
    () => `${prefix}-${id(16)}-${id(38)}`,
    () => `${prefix}_${id(16)}${id(38)}`,
    () => `${prefix}${id(16)}_${id(38)}`,
    () => `${prefix}__${id(16)}_${id(38)}`,
    () => `${prefix.toUpperCase()}_${id(16)}_${id(38)}`,
    () => `sk_prod_${id(16)}_${id(38)}`,
    () => `sk_${id(16)}_${id(38)}`,
    () => `pk_live_${id(16)}_${id(38)}`,
    () => `${prefix}_${prefix}_${id(16)}_${id(38)}`,
    () => `${prefix}_`,
    () => `${prefix}_${id(16)}`,
    () => `${prefix}_${id(16)}_`,
    () => `${prefix}_${id(16)}_${id(38)}_`,
    () => `_${prefix}_${id(16)}_${id(38)}`,
    () => `${prefix}_${id(16)}_${id(38)}\t${id(3)}`,
    () => `${prefix}_${id(16)}_${id(38)}${id(rng.int(1, 40))}`,
  ];
  return rng.pick(variants)();
}

/** Right length and a correct CRC, but characters outside base62 (the shape regex must refuse). */
function nonBase62WithChecksum(rng: Rng): string {
  const prefix = rng.pick(KEY_PREFIXES);
  const chars = (n: number) => rng.chars(BASE62 + '-+/=.~!*', n);
  return forgeKey(prefix, chars(KEY_ID_LENGTH), chars(SECRET_LENGTH));
}

function longValue(rng: Rng, ctx: CredentialContext, oversize: boolean): string {
  // Node's server refuses request heads over 16 KiB with 431; lengths stay well clear of it either way.
  const length = oversize
    ? rng.pick([17_000, 20_000, 32_000])
    : rng.pick([81, 100, 200, 1_000, 4_096, 8_000, 12_000]);
  const seed = rng.pick([
    () => rng.chars(BASE62, length),
    () => rng.chars(PRINTABLE_ASCII, length),
    () =>
      rng
        .pick(ctx.own)
        .key.repeat(Math.ceil(length / 60))
        .slice(0, length),
    () => `sk_live_${rng.chars(BASE62, length)}`,
    () => 'A'.repeat(length),
  ]);
  return seed();
}

function credentialValue(rng: Rng, ctx: CredentialContext): Value {
  const own = () => rng.pick(ctx.own);
  const anyReal = () => rng.pick([...ctx.own, ...ctx.foreign, ...ctx.revoked]);
  const generators: [number, () => Value][] = [
    [8, () => ({ cls: 'random-ascii', value: rng.chars(PRINTABLE_ASCII, rng.int(1, 120)), real: null })],
    [5, () => ({ cls: 'random-base62', value: rng.chars(BASE62, rng.int(1, 100)), real: null })],
    [5, () => ({ cls: 'random-latin1', value: rng.chars(LATIN1_PRINTABLE, rng.int(1, 100)), real: null })],
    [
      2,
      () => ({
        cls: 'unicode-unsendable',
        value: rng.chars(PRINTABLE_ASCII + UNSENDABLE, rng.int(1, 40)),
        real: null,
      }),
    ],
    [
      12,
      () => ({
        cls: 'near-valid-bad-crc',
        value: `${rng.pick(KEY_PREFIXES)}_${rng.chars(BASE62, 16)}_${rng.chars(BASE62, 38)}`,
        real: null,
      }),
    ],
    [
      12,
      () => ({
        cls: 'forged-valid-crc',
        value: forgeKey(rng.pick(KEY_PREFIXES), rng.chars(BASE62, 16), rng.chars(BASE62, 32)),
        real: null,
      }),
    ],
    [
      8,
      () => {
        // A real key id (own, foreign or revoked) with a made-up secret and a correct checksum.
        const parts = splitKey(anyReal().key)!;
        return {
          cls: 'forged-known-id',
          value: forgeKey(parts.prefix, parts.keyId, rng.chars(BASE62, 32)),
          real: null,
        };
      },
    ],
    [
      4,
      () => {
        const parts = splitKey(anyReal().key)!;
        const prefix = rng.pick(KEY_PREFIXES.filter((p) => p !== parts.prefix));
        return { cls: 'real-prefix-swapped', value: forgeKey(prefix, parts.keyId, parts.secret), real: null };
      },
    ],
    [
      3,
      () => {
        const [a, b] = [
          rng.pick(ctx.own),
          rng.pick([...ctx.own, ...ctx.foreign].filter((k) => k !== ctx.own[0])),
        ];
        const pa = splitKey(a.key)!;
        const pb = splitKey(b.key)!;
        const value = forgeKey(pa.prefix, pa.keyId, pb.secret);
        return { cls: 'real-id-other-secret', value, real: value === a.key ? 'exact' : null };
      },
    ],
    [8, () => ({ cls: 'wrong-shape', value: wrongShape(rng), real: null })],
    [3, () => ({ cls: 'non-base62-valid-crc', value: nonBase62WithChecksum(rng), real: null })],
    [
      10,
      () => ({
        cls: 'real-flipped',
        value: flip(rng, rng.pick([...ctx.own, ...ctx.foreign]).key),
        real: null,
      }),
    ],
    [
      4,
      () => {
        const key = own().key;
        const value = rng.pick([
          () => key.slice(0, -rng.int(1, 6)),
          () => key.slice(rng.int(1, 6)),
          () => key + rng.chars(BASE62, rng.int(1, 3)),
          () => key + key,
          () =>
            rechecksum(
              key.slice(0, -7) + BASE62.replace(key.slice(-7, -6), '')[rng.int(0, 60)] + key.slice(-6),
            ),
        ])();
        return { cls: 'real-truncated-extended', value, real: null };
      },
    ],
    [2, () => ({ cls: 'real-case-swapped', value: swapCase(own().key), real: null })],
    [6, () => ({ cls: 'real-foreign', value: rng.pick(ctx.foreign).key, real: null })],
    [2, () => ({ cls: 'real-own-on-foreign-host', value: own().key, real: null, foreignHost: true })],
    [3, () => ({ cls: 'real-revoked', value: rng.pick(ctx.revoked).key, real: null })],
    [3, () => ({ cls: 'real-exact', value: own().key, real: 'exact' })],
    [
      3,
      () => ({
        cls: 'real-padded',
        value: rng.pick(WHITESPACE) + own().key + rng.pick(['', ...WHITESPACE]),
        real: 'padded',
      }),
    ],
    [
      2,
      () => {
        const key = own().key;
        const at = rng.int(1, key.length - 1);
        return {
          cls: 'real-inner-whitespace',
          value: key.slice(0, at) + rng.pick(WHITESPACE) + key.slice(at),
          real: null,
        };
      },
    ],
    [4, () => ({ cls: 'very-long', value: longValue(rng, ctx, false), real: null })],
    [1, () => ({ cls: 'oversize-header', value: longValue(rng, ctx, true), real: null })],
    [3, () => ({ cls: 'whitespace-only', value: rng.pick(WHITESPACE), real: null })],
    [2, () => ({ cls: 'empty', value: '', real: null })],
    [4, () => ({ cls: 'hostile-string', value: rng.pick(HOSTILE_STRINGS), real: null })],
  ];
  return rng.weighted(generators)();
}

const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');

/**
 * Base64 of `value:` broken some way. `keepsKey`: a lenient decoder (Node's, which skips what is
 * not base64 and needs no padding) still reads exactly `value:` from it.
 */
function brokenBase64(rng: Rng, value: string): { text: string; keepsKey: boolean } {
  const good = b64(`${value}:`);
  const text = rng.pick([
    () => good.replace(/=+$/, ''),
    () => good.replace(/\+/g, '-').replace(/\//g, '_'),
    () => good.slice(0, -rng.int(1, 4)),
    () => `${good}${rng.pick(['=', '==', '===', '!', '*', '.'])}`,
    () => {
      const at = rng.int(0, good.length);
      return good.slice(0, at) + rng.pick(['!', '*', '~', '%', '"', ' ', '\t']) + good.slice(at);
    },
    () => rng.chars(BASE62 + '+/=', rng.int(0, 120)),
    () => b64(good),
    () => '=',
    () => '',
    () => b64(':'),
    () => b64(`:${value}`),
    () => b64(`${value}::`),
    () => b64(`${value}\0:`),
  ])();
  return { text, keepsKey: Buffer.from(text.trim(), 'base64').toString('latin1') === `${value}:` };
}

const ODD_SCHEMES = [
  'Token',
  'ApiKey',
  'Key',
  'Digest',
  'Negotiate',
  'NTLM',
  'HOBA',
  'Mutual',
  'AWS4-HMAC-SHA256',
  'OAuth',
  'Bearer:',
  'Bearer=',
  'Bearer Bearer',
  'Basic Bearer',
  'Bearer Basic',
  'X',
  '-',
];

interface Shape {
  name: string;
  headers: Record<string, string | string[]>;
  /** How presenting an exact own key this way should be treated. */
  forExact: AuthExpectation;
}

function shape(rng: Rng, ctx: CredentialContext, v: Value): Shape {
  const value = v.value;
  const other = () => rng.pick(ctx.own.filter((k) => k.key !== value.trim()));
  const keyIdOf = () => splitKey(value.trim())?.keyId ?? rng.chars(BASE62, 16);
  const shapes: [number, () => Shape][] = [
    [20, () => ({ name: 'bearer', headers: { authorization: `Bearer ${value}` }, forExact: 'must' })],
    [15, () => ({ name: 'x-api-key', headers: { 'x-api-key': value }, forExact: 'must' })],
    [
      15,
      () => ({ name: 'basic', headers: { authorization: `Basic ${b64(`${value}:`)}` }, forExact: 'must' }),
    ],
    [
      4,
      () => ({
        name: 'clientid-matching+bearer',
        headers: { clientid: keyIdOf(), authorization: `Bearer ${value}` },
        forExact: 'must',
      }),
    ],
    [
      5,
      () => {
        const clientId = rng.pick([
          () => rng.chars(BASE62, 16),
          () => rng.chars(PRINTABLE_ASCII, rng.int(0, 40)),
          () => splitKey(rng.pick(ctx.foreign).key)!.keyId,
          () => splitKey(other().key)!.keyId,
          () => (keyIdOf().toLowerCase() === keyIdOf() ? keyIdOf().toUpperCase() : keyIdOf().toLowerCase()),
          () => value,
          () => '',
        ])();
        const same = clientId === keyIdOf() && splitKey(value.trim()) !== null;
        return {
          name: 'clientid-other+bearer',
          headers: { clientid: clientId, authorization: `Bearer ${value}` },
          forExact: same ? 'must' : 'never',
        };
      },
    ],
    [
      4,
      () => ({
        name: 'bearer-scheme-case',
        headers: { authorization: `${rng.pick(['bearer', 'BEARER', 'BeArEr', 'bEARER'])} ${value}` },
        forExact: 'may',
      }),
    ],
    [
      2,
      () => ({
        name: 'bearer-many-spaces',
        headers: { authorization: `Bearer${' '.repeat(rng.int(2, 8))}${value}` },
        forExact: 'may',
      }),
    ],
    [2, () => ({ name: 'bearer-tab', headers: { authorization: `Bearer\t${value}` }, forExact: 'may' })],
    [
      2,
      // With a value that starts with whitespace this is an ordinary (lenient) bearer header.
      () => ({
        name: 'bearer-no-separator',
        headers: { authorization: `Bearer${value}` },
        forExact: /^\s/.test(value) ? 'may' : 'never',
      }),
    ],
    [
      4,
      () => ({
        name: 'basic-with-password',
        headers: {
          authorization: `Basic ${b64(`${value}:${rng.pick([' ', 'x', 'password', value, rng.chars(PRINTABLE_ASCII, 8)])}`)}`,
        },
        forExact: 'never',
      }),
    ],
    [
      3,
      () => ({ name: 'basic-no-colon', headers: { authorization: `Basic ${b64(value)}` }, forExact: 'may' }),
    ],
    [
      6,
      () => {
        const broken = brokenBase64(rng, value);
        return {
          name: 'basic-broken-base64',
          headers: { authorization: `Basic ${broken.text}` },
          forExact: broken.keepsKey ? 'may' : 'never',
        };
      },
    ],
    [2, () => ({ name: 'basic-not-base64', headers: { authorization: `Basic ${value}` }, forExact: 'may' })],
    [
      6,
      () => ({
        name: 'odd-scheme',
        headers: { authorization: `${rng.pick(ODD_SCHEMES)} ${value}` },
        forExact: 'may',
      }),
    ],
    [3, () => ({ name: 'no-scheme', headers: { authorization: value }, forExact: 'may' })],
    [
      3,
      () => ({
        name: 'bearer+x-api-key-different',
        headers: { authorization: `Bearer ${value}`, 'x-api-key': other().key },
        forExact: 'never',
      }),
    ],
    [
      2,
      () => ({
        name: 'bearer+x-api-key-same',
        headers: { authorization: `Bearer ${value}`, 'x-api-key': value },
        forExact: 'may',
      }),
    ],
    [
      2,
      () => ({
        name: 'two-authorization-lines',
        headers: { authorization: [`Bearer ${value}`, `Bearer ${value}`] },
        forExact: 'never',
      }),
    ],
    [2, () => ({ name: 'two-x-api-key-lines', headers: { 'x-api-key': [value, value] }, forExact: 'may' })],
    [1, () => ({ name: 'clientid-only', headers: { clientid: value }, forExact: 'never' })],
  ];
  return rng.weighted(shapes)();
}

/**
 * `count` credential cases Node's http client will send (values it refuses are generated, then
 * dropped and counted in `skipped`), plus the controls (every real own key presented exactly as
 * documented), so a harness that broke authentication altogether cannot pass unnoticed.
 */
export function credentialCases(
  rng: Rng,
  ctx: CredentialContext,
  count: number,
): { cases: CredentialCase[]; skipped: number } {
  const cases: CredentialCase[] = [];
  let skipped = 0;
  for (const real of ctx.own) {
    for (const [name, headers] of [
      ['bearer', { authorization: `Bearer ${real.key}` }],
      ['x-api-key', { 'x-api-key': real.key }],
      ['basic', { authorization: `Basic ${b64(`${real.key}:`)}` }],
      ['clientid-matching+bearer', { clientid: real.keyId, authorization: `Bearer ${real.key}` }],
    ] as const) {
      for (const path of ctx.protectedPaths) {
        cases.push({
          cls: `${name} / control`,
          host: 'own',
          path,
          headers,
          auth: 'must',
          value: real.key,
          headerBytes: 0,
        });
      }
    }
  }
  const ownKeys = new Set(ctx.own.map((k) => k.key));
  while (cases.length < count) {
    const v = credentialValue(rng, ctx);
    // A mutation can land back on a valid key (a flip to the same character...): judge what is sent.
    if (v.real === null && !v.foreignHost) {
      if (ownKeys.has(v.value)) v.real = 'exact';
      else if (ownKeys.has(v.value.trim())) v.real = 'padded';
    }
    const s = shape(rng, ctx, v);
    const auth: AuthExpectation =
      v.real === 'exact'
        ? s.forExact
        : v.real === 'padded'
          ? s.forExact === 'never'
            ? 'never'
            : 'may'
          : 'never';
    const headers = s.headers;
    if (!Object.entries(headers).every(([name, value]) => sendableHeader(name, value))) {
      skipped++;
      continue;
    }
    const headerBytes = Object.values(headers)
      .flat()
      .reduce((sum, h) => sum + Buffer.byteLength(h, 'latin1'), 0);
    cases.push({
      cls: `${s.name} / ${v.cls}`,
      host: v.foreignHost ? 'foreign' : 'own',
      path: rng.pick(ctx.protectedPaths),
      headers,
      auth,
      value: v.value,
      headerBytes,
    });
  }
  return { cases, skipped };
}

// ---------------------------------------------------------------------------------------------
// JSON bodies
// ---------------------------------------------------------------------------------------------

export type FieldType =
  | 'string'
  | 'email'
  | 'password'
  | 'iso'
  | 'ip'
  | 'ip[]'
  | 'role'
  | 'id'
  | 'int'
  | 'string[]'
  | 'scope'
  | 'scope[]'
  | 'rate_limit'
  | 'env'
  | 'tier'
  | 'key';

export interface BodyRoute {
  method: 'POST' | 'PATCH' | 'PUT';
  path: string;
  /** false: sent without a credential (login). */
  authenticated: boolean;
  fields: Record<string, FieldType>;
  /** Raw JSON text of a valid value per field (the baseline the per-field cases start from). */
  valid: Record<string, string>;
}

export interface BodyCase {
  route: BodyRoute;
  /** Class of the case, what failures are grouped by (`nesting array x20000 top-level`...). */
  cls: string;
  body: string | Buffer;
  /** Content-Type to send; null sends none. Default application/json. */
  contentType?: string | null;
}

export interface BodyContext {
  bodyLimit: number;
  /** Key values for `key` fields: real own, foreign, revoked, forged (verify and revoke-by-value). */
  keys: string[];
  /** Ids of another tenant's rows, for `id` fields (must be 404, never found). */
  foreignIds: string[];
}

const j = (value: unknown) => JSON.stringify(value);

/** A JSON object's text from [key, raw JSON value text] pairs (raw, so `1e309` or `-0` survive). */
export function objectText(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([k, v]) => `${j(k)}:${v}`).join(',')}}`;
}

const WRONG_TYPES = [
  '0',
  '1',
  '-1',
  '1.5',
  'true',
  'false',
  'null',
  '[]',
  '[1]',
  '["x"]',
  '[null]',
  '[[]]',
  '[{}]',
  '{}',
  '{"a":1}',
  '{"":""}',
  '{"length":1}',
  '""',
  '"x"',
  '"0"',
  '"true"',
  '"null"',
];

/** Always sent to every field (the rest of WRONG_TYPES, NUMBERS and UNICODE is sampled). */
const CORE_WRONG_TYPES = ['null', '0', 'true', '[]', '{}', '""', '[null]'];
const CORE_NUMBERS = ['1e309', '-0', '9007199254740993'];
const CORE_UNICODE = ['"\\ud800"', '"\\udc00\\ud800"', '"a\\u0000b"', '"😀"'];
const except = (items: readonly string[], left: readonly string[]) => items.filter((i) => !left.includes(i));

const NUMBERS = [
  '1e309',
  '-1e309',
  '-0',
  '0.0',
  '9007199254740993',
  '-9007199254740993',
  '123456789012345678901234567890',
  '1e-400',
  '4.9e-324',
  '1.7976931348623157e308',
  '1E2',
  '2147483648',
  '4294967296',
  '-2147483649',
];

/** String values as JSON text: escaped unicode, lone surrogates, zero-width, RTL, NUL... */
const UNICODE = [
  '"😀"',
  '"👩‍👩‍👧‍👦"',
  '"\\ud83d\\ude00"',
  '"\\u202eevil\\u202c"',
  '"\\u200b"',
  '"\\u200d\\u200c\\ufeff"',
  '"\\ud800"',
  '"\\udfff"',
  '"\\ud800\\ud800"',
  '"\\udc00\\ud800"',
  '"a\\ud800b"',
  '"a\\u0000b"',
  '"\\u0000"',
  '"e\\u0301\\u0301\\u0301"',
  '"\\u0627\\u0644\\u0639\\u0631\\u0628\\u064a\\u0629"',
  '"Ω≈ç√∫"',
  '"\\uffff\\ufffe"',
  '"ｓｋ＿ｌｉｖｅ"',
  '"İıſK"',
  '"\\u2028\\u2029"',
  '"\\n\\r\\t\\b\\f"',
  '"\\\\"',
  '"\\u001b[31mred"',
];

const PROTO_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'isPrototypeOf',
];

const HOSTILE_VALUES = HOSTILE_STRINGS.map((s) => j(s));

const FIELD_SPECIFIC: Record<FieldType, string[]> = {
  string: ['" "', '"\\t"', j('x'.repeat(200)), j('x'.repeat(201)), j('x'.repeat(5000))],
  email: [
    '"a@b"',
    '"@"',
    '"a@b@c.d"',
    '"a"',
    '"<script>@x.yz"',
    '"a@b.co\\u0000"',
    j(`${'x'.repeat(250)}@y.zz`),
    '" a@b.com "',
    '"a@[127.0.0.1]"',
    '"\\"a b\\"@c.de"',
    '"OWNER@EXAMPLE.TEST"',
    '"a%@b.cd"',
    '"a_@b.cd"',
    j('a\ud800b@example.com'),
    j('user@exa\udc00mple.com'),
  ],
  password: [
    '"short"',
    j('p'.repeat(72)),
    j('p'.repeat(73)),
    j('é'.repeat(36)),
    j('é'.repeat(37)),
    j('😀'.repeat(18)),
    j('😀'.repeat(19)),
    j('\u0000'.repeat(16)),
    j('p'.repeat(1024)),
    j('p'.repeat(1025)),
    j('p'.repeat(20000)),
    // Long enough to pass the length rules, so the byte-length check sees the lone surrogate.
    j('password\ud800'),
    j('\udfffpassword'),
  ],
  iso: [
    '"0000-00-00"',
    '"9999-12-31T23:59:59Z"',
    '"+275760-09-13T00:00:00.000Z"',
    '"+275760-09-13T00:00:00.001Z"',
    '"-271821-04-20T00:00:00Z"',
    '"2020-02-30T00:00:00Z"',
    '"2024-01-01T25:00:00Z"',
    '"2124-13-01"',
    '"1970-01-01T00:00:00Z"',
    '"2100-01-01T00:00:00+99:99"',
    '"2100-01-01"',
    '"99999-01-01T00:00:00Z"',
    '"2100-01-01T00:00:00.123456789Z"',
    '"P1D"',
    '"now"',
    '"+002100-01-01T00:00:00Z"',
    '"2100-01-01T00:00:00Z\\u0000"',
  ],
  ip: [
    '"999.1.1.1"',
    '"1.2.3.4/33"',
    '"::ffff:1.2.3.4"',
    '"fe80::1%eth0"',
    '"1.2.3"',
    '"01.02.03.04"',
    '"0x7f.1"',
    '"localhost"',
    '"1.2.3.4 "',
    '"[::1]"',
    '"1::2::3"',
    '"::"',
    '"0.0.0.0"',
  ],
  'ip[]': [
    '["999.1.1.1"]',
    '["1.2.3.4/33"]',
    '["::ffff:1.2.3.4/129"]',
    '["1.2.3.4/-1"]',
    '["0.0.0.0/0","::/0"]',
    '["fe80::1%eth0"]',
    '["1.2.3.4/"]',
    '["/8"]',
    '["::1/128/1"]',
    '["1.2.3.4/1e309"]',
    '["1.2.3.4/08"]',
    '["::ffff:999.1.1.1"]',
    '["1.2.3.4/32 "]',
    '[""]',
    '[1]',
    '[null]',
    '[[]]',
    j(Array.from({ length: 101 }, (_, i) => `10.0.0.${i % 250}`)),
    j(['1.2.3.4/' + '9'.repeat(400)]),
  ],
  role: [
    '"owner"',
    '"OWNER"',
    '"a"',
    '"-a"',
    j('a'.repeat(65)),
    '"no-such-role"',
    '"admin "',
    '"__proto__"',
    '"constructor"',
    '"toString"',
  ],
  id: [
    '"0"',
    '"-1"',
    '"\' OR 1=1 --"',
    j('a'.repeat(40)),
    j('a'.repeat(41)),
    '"00000000-0000-0000-0000-000000000000"',
    '"null"',
    '"%"',
    '"*"',
  ],
  int: [
    '0',
    '-1',
    '1',
    '31536000',
    '31536001',
    '2.5',
    '"5"',
    '1e3',
    '1e309',
    '-0',
    '9007199254740993',
    '0x10',
  ],
  'string[]': [j(Array.from({ length: 201 }, () => 'a')), '[1,2,3]', '["a",1]', '[["a"]]', '[{"a":"b"}]'],
  scope: [
    '"*"',
    '"::"',
    '"a:b:c"',
    '""',
    '"  "',
    '".."',
    '"a.b"',
    j('x'.repeat(129)),
    '"invoices:read "',
    '"INVOICES:READ"',
  ],
  'scope[]': [
    '["*"]',
    '["::"]',
    '["a:b:c"]',
    '[""]',
    '[" "]',
    '[".."]',
    '["a.b"]',
    '["invoices:*","*:read"]',
    j(['x'.repeat(300)]),
    '["view_all_locations"]',
    '["api-keys:create","api-keys:create"]',
    '["*:*"]',
    '[":"]',
    '["INVOICES:READ"]',
    '["invoices:read "]',
    '["\\u0000"]',
    '["__proto__"]',
    '["constructor:prototype"]',
    '["toString"]',
    j(Array.from({ length: 201 }, () => 'invoices:read')),
  ],
  rate_limit: [
    '{"limit":1,"window_seconds":1}',
    '{"limit":0}',
    '{"limit":1e309,"window_seconds":1}',
    '{"limit":"1","window_seconds":"1"}',
    '{"limit":-1,"window_seconds":-1}',
    '{"limit":1,"window_seconds":1,"extra":1}',
    '{"limit":{"limit":1},"window_seconds":[1]}',
    '{"__proto__":{"limit":1}}',
    '{"constructor":{"prototype":{"limit":1}}}',
    '{"limit":1000000000,"window_seconds":2678400}',
    '{"limit":1000000001,"window_seconds":2678401}',
    '{"limit":1.5,"window_seconds":0.5}',
    '{"limit":9007199254740993,"window_seconds":9007199254740993}',
    '"pro"',
  ],
  env: ['"live"', '"test"', '"LIVE"', '"prod"', '""', '"live "', '["live"]'],
  tier: [
    '"free"',
    '"pro"',
    '"enterprise"',
    '"unlimited"',
    '"FREE"',
    '"__proto__"',
    '"constructor"',
    '"toString"',
    '"hasOwnProperty"',
    '"valueOf"',
    j('x'.repeat(32)),
    j('x'.repeat(33)),
    '""',
  ],
  key: [j('x'.repeat(200)), j('x'.repeat(201)), '""', '" "'],
};

const STRINGISH = new Set<FieldType>([
  'string',
  'email',
  'password',
  'iso',
  'ip',
  'role',
  'id',
  'scope',
  'env',
  'tier',
  'key',
]);

/** `[[[...]]]`, `{"a":{"a":...}}` or both interleaved, `depth` levels, closed or left open. */
export function nested(kind: 'array' | 'object' | 'mixed', depth: number, closed = true): string {
  const open = kind === 'array' ? '[' : kind === 'object' ? '{"a":' : '[{"a":';
  const close = kind === 'array' ? ']' : kind === 'object' ? '}' : '}]';
  const levels = kind === 'mixed' ? Math.ceil(depth / 2) : depth;
  const inner = kind === 'array' ? '' : '1';
  return open.repeat(levels) + inner + (closed ? close.repeat(levels) : '');
}

/** Pads `prefix + x... + suffix` to exactly `bytes` bytes. */
function padded(prefix: string, suffix: string, bytes: number, fill = 'x'): string {
  const need = bytes - Buffer.byteLength(prefix + suffix);
  const body = fill.repeat(Math.max(0, Math.floor(need / fill.length)));
  return prefix + body + 'x'.repeat(Math.max(0, need - body.length)) + suffix;
}

function randomJson(rng: Rng, names: string[], depth: number): string {
  const scalar = () =>
    rng.pick([
      () => rng.pick(WRONG_TYPES),
      () => rng.pick(NUMBERS),
      () => rng.pick(UNICODE),
      () => rng.pick(HOSTILE_VALUES),
      () => j(rng.chars(PRINTABLE_ASCII, rng.int(0, 40))),
      () => j(rng.chars(LATIN1_PRINTABLE + '😀\u202e\u200b\u0000', rng.int(0, 40))),
      () => String(rng.int(-1e6, 1e6)),
    ])();
  if (depth <= 0 || rng.bool(0.4)) return scalar();
  if (rng.bool(0.3))
    return `[${Array.from({ length: rng.int(0, 5) }, () => randomJson(rng, names, depth - 1)).join(',')}]`;
  const entries: [string, string][] = [];
  for (let i = rng.int(0, 6); i > 0; i--) {
    const key = rng.pick([
      () => rng.pick(names),
      () => rng.pick(names),
      () => rng.pick(PROTO_NAMES),
      () => rng.chars(PRINTABLE_ASCII, rng.int(0, 12)),
    ])();
    entries.push([key, randomJson(rng, names, depth - 1)]);
  }
  return objectText(entries);
}

const INVALID_JSON = [
  '{',
  '}',
  '[',
  '{"a":}',
  '{"a"}',
  "{'a':1}",
  '{"a":1,}',
  '[1,]',
  '{,}',
  'NaN',
  'Infinity',
  '-Infinity',
  'undefined',
  '{"a":01}',
  '{"a":.5}',
  '{"a":1.}',
  '{"a":+1}',
  '{"a":0x10}',
  '{"a":"\u0001"}',
  '{"a":"line\nbreak"}',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '{"a":"\\ud800\\u"}',
  '{"a":"unterminated}',
  '{} x',
  '{}{}',
  '[][]',
  '\ufeff{}',
  '',
  '   ',
  '/* comment */ {}',
  '{} // comment',
  '{"a":1 "b":2}',
  '{"a"::1}',
  '{"a":tru}',
  '{"a":nul}',
  '{a:1}',
  '"',
  '\\',
  '{"a":[1,2}',
  '{"a":{"b":1]}',
];

const NON_OBJECT = [
  'null',
  '1',
  '0',
  '-0',
  '1e309',
  '"x"',
  '""',
  '[]',
  '[{}]',
  '[null]',
  'true',
  'false',
  '[1,2,3]',
  '"{}"',
];

const CONTENT_TYPES: { type: string | null; body: (valid: string) => string; cls: string }[] = [
  { type: 'text/plain', body: (v) => v, cls: 'text/plain' },
  { type: 'text/plain; charset=utf-8', body: () => 'hello', cls: 'text/plain non-json' },
  {
    type: 'application/x-www-form-urlencoded',
    body: () => 'name=x&scopes=invoices%3Aread&__proto__[a]=1',
    cls: 'form-urlencoded',
  },
  {
    type: 'multipart/form-data; boundary=xyz',
    body: () => '--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--xyz--\r\n',
    cls: 'multipart',
  },
  { type: 'application/xml', body: () => '<?xml version="1.0"?><a>1</a>', cls: 'xml' },
  { type: 'application/json; charset=utf-16', body: (v) => v, cls: 'json charset=utf-16' },
  { type: 'application/json; charset=latin1', body: (v) => v, cls: 'json charset=latin1' },
  { type: 'application/json;;;', body: (v) => v, cls: 'json ;;;' },
  { type: 'APPLICATION/JSON', body: (v) => v, cls: 'json upper-case' },
  { type: 'application/vnd.api+json', body: (v) => v, cls: 'vnd.api+json' },
  {
    type: 'application/json-patch+json',
    body: () => '[{"op":"replace","path":"/name","value":"x"}]',
    cls: 'json-patch',
  },
  { type: '*/*', body: (v) => v, cls: '*/*' },
  { type: 'application/octet-stream', body: (v) => v, cls: 'octet-stream' },
  { type: 'application/json', body: () => '', cls: 'json empty body' },
  { type: '', body: (v) => v, cls: 'empty content-type' },
  { type: null, body: (v) => v, cls: 'no content-type' },
  { type: 'application/json, text/plain', body: (v) => v, cls: 'two content types' },
  { type: 'application/json; boundary=x; charset=utf-8; a=b', body: (v) => v, cls: 'json many params' },
];

const INVALID_UTF8: [string, number[]][] = [
  ['0xff', [0xff]],
  ['overlong NUL c0 80', [0xc0, 0x80]],
  ['lone continuation 80', [0x80]],
  ['truncated e2 82', [0xe2, 0x82]],
  ['CESU surrogate ed a0 80', [0xed, 0xa0, 0x80]],
  ['over U+10FFFF f4 90 80 80', [0xf4, 0x90, 0x80, 0x80]],
  ['latin-1 e9', [0xe9]],
  ['fe ff', [0xfe, 0xff]],
];

/** Every hostile body for one route. Deterministic for a given `rng`. */
export function bodyCases(rng: Rng, route: BodyRoute, ctx: BodyContext): BodyCase[] {
  const cases: BodyCase[] = [];
  const add = (cls: string, body: string | Buffer, contentType?: string | null) =>
    cases.push({ route, cls, body, contentType });
  const validEntries = Object.entries(route.valid);
  const valid = objectText(validEntries);
  const names = Object.keys(route.fields);
  const firstString = names.find((n) => STRINGISH.has(route.fields[n]));
  const withField = (name: string, raw: string) =>
    objectText([...validEntries.filter(([k]) => k !== name), [name, raw]]);
  const limit = ctx.bodyLimit;

  // The whole body: nesting, non-objects, invalid JSON, prototype keys, size, bytes, content types.
  // Cheap cases go to every route; the costly ones (tens of ms of server CPU each: deep nesting,
  // near-limit arrays, thousands of keys) to a few routes each, chosen by the seed.
  const heavy: [string, () => string][] = [];
  for (const depth of [100, 1_000, 5_000, 20_000]) {
    for (const kind of ['array', 'object', 'mixed'] as const) {
      const cls = `nesting ${kind} x${depth} top-level`;
      if (depth <= 1_000 || (kind === 'array' && depth === 20_000)) add(cls, nested(kind, depth));
      else heavy.push([cls, () => nested(kind, depth)]);
    }
  }
  for (const kind of ['array', 'object'] as const)
    add(`nesting ${kind} x5000 unterminated`, nested(kind, 5_000, false));
  heavy.push(['nesting array x20000 wrapped in object', () => `{"a":${nested('array', 20_000)}}`]);
  // Failing before any route code, these are sampled per route (the routes together cover every one).
  for (const raw of rng.sample(NON_OBJECT, 7)) add(`non-object top-level ${raw}`, raw);
  for (const raw of rng.sample(INVALID_JSON, 8)) add('invalid JSON', raw);
  const prototypeBodies = [
    '{"__proto__":{"isAdmin":true}}',
    '{"__proto__":null}',
    '{"__proto__":[]}',
    '{"constructor":{"prototype":{"isAdmin":true}}}',
    '{"constructor":null}',
    '{"prototype":{}}',
    '{"toString":"x"}',
    '{"toString":{}}',
    '{"valueOf":1}',
    '{"hasOwnProperty":"x"}',
    '{"__defineGetter__":1}',
    '[{"__proto__":{"a":1}}]',
    `{${validEntries.map(([k, v]) => `${j(k)}:${v},`).join('')}"__proto__":{"scopes":["*"],"tenant_role":"owner"}}`,
    `{${validEntries.map(([k, v]) => `${j(k)}:${v},`).join('')}"constructor":{"prototype":{"scopes":["*"]}}}`,
    `{${validEntries.map(([k, v]) => `${j(k)}:${v},`).join('')}"toString":1}`,
    `{${validEntries.map(([k, v]) => `${j(k)}:${v},`).join('')}"hasOwnProperty":1}`,
    `{"__proto__":${valid}}`,
  ];
  for (const raw of [...rng.sample(prototypeBodies.slice(0, 12), 5), ...prototypeBodies.slice(12)])
    add('prototype keys top-level', raw);
  add(
    'duplicate keys',
    `{${[...validEntries, ...validEntries.map(([k]) => [k, '"dup"'] as const)].map(([k, v]) => `${j(k)}:${v}`).join(',')}}`,
  );
  // Sizes around BODY_LIMIT_BYTES (exactly at it, one under, one over, twice), many keys, long arrays.
  const bigField = firstString ?? 'name';
  for (const [label, bytes] of [
    ['limit-1', limit - 1],
    ['limit', limit],
    ['limit+1', limit + 1],
    ['2x limit', limit * 2],
    ['16x limit', limit * 16],
  ] as const) {
    add(`huge string ${label} bytes`, padded(`{"${bigField}":"`, '"}', bytes));
  }
  add('huge string of \\" escapes near limit', padded(`{"${bigField}":"`, '"}', limit - 10, '\\"'));
  add(
    'huge string of \\ud800 escapes near limit',
    `{"${bigField}":"${'\\ud800'.repeat(Math.floor((limit - 20) / 6))}"}`,
  );
  add('huge string of emoji near limit', `{"${bigField}":"${'😀'.repeat(Math.floor((limit - 20) / 4))}"}`);
  add('huge array of numbers over limit', `[${'0,'.repeat(limit)}0]`);
  heavy.push(
    ['huge array of numbers near limit', () => `[${'0,'.repeat(Math.floor((limit - 4) / 2) - 1)}0]`],
    [
      'huge array in field near limit',
      () => `{"${names[0] ?? 'a'}":[${'"a",'.repeat(Math.floor((limit - 40) / 4))}"a"]}`,
    ],
    ['huge array of objects near limit', () => `[${'{},'.repeat(Math.floor((limit - 4) / 3) - 1)}{}]`],
    ['many keys', () => objectText(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, '0'] as const))],
    // "k0000":0, is 10 bytes: as many distinct keys as fit just under the limit.
    [
      'many keys near limit',
      () =>
        objectText(
          Array.from(
            { length: Math.floor((limit - 20) / 10) },
            (_, i) => [`k${i.toString(36).padStart(4, '0')}`, '0'] as const,
          ),
        ),
    ],
  );
  for (const [cls, body] of rng.sample(heavy, 3)) add(cls, body());
  // Bytes that are not UTF-8, inside a string value and outside any.
  for (const [label, bytes] of rng.sample(INVALID_UTF8, 4)) {
    const field = firstString ?? 'name';
    add(
      `invalid UTF-8 ${label} in string`,
      Buffer.concat([Buffer.from(`{"${field}":"a`), Buffer.from(bytes), Buffer.from(`b"}`)]),
    );
    add(
      `invalid UTF-8 ${label} outside strings`,
      Buffer.concat([Buffer.from(valid.slice(0, -1) + ','), Buffer.from(bytes), Buffer.from('}')]),
    );
  }
  add('UTF-16LE body with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, 'utf16le')]));
  add('UTF-8 BOM then valid body', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid)]));
  add('NUL bytes around body', Buffer.concat([Buffer.from([0]), Buffer.from(valid), Buffer.from([0])]));
  for (const ct of rng.sample(CONTENT_TYPES, 7)) add(`content-type ${ct.cls}`, ct.body(valid), ct.type);

  // Every field: every wrong type, odd numbers, unicode, prototype names, deep nesting, its own oddities.
  for (const name of names) {
    const type = route.fields[name];
    // A sample of the generic values per field (another field or route gets the others); short
    // values go into the class name so that a failure names the exact value.
    const label = (raw: string) => (raw.length > 24 ? `${raw.slice(0, 24)}…` : raw);
    const asType = (raw: string) => (type.endsWith('[]') ? `[${raw}]` : raw);
    for (const raw of [...CORE_WRONG_TYPES, ...rng.sample(except(WRONG_TYPES, CORE_WRONG_TYPES), 3)])
      add(`field ${name}: wrong type ${label(raw)}`, withField(name, raw));
    for (const raw of [...CORE_NUMBERS, ...rng.sample(except(NUMBERS, CORE_NUMBERS), 1)])
      add(`field ${name}: odd number ${label(raw)}`, withField(name, raw));
    if (STRINGISH.has(type) || type.endsWith('[]')) {
      for (const raw of [...CORE_UNICODE, ...rng.sample(except(UNICODE, CORE_UNICODE), 3)])
        add(`field ${name}: unicode ${label(raw)}`, withField(name, asType(raw)));
      for (const raw of rng.sample(HOSTILE_VALUES, 3))
        add(`field ${name}: hostile string ${label(raw)}`, withField(name, asType(raw)));
    }
    for (const proto of rng.sample(PROTO_NAMES, 2)) {
      add(`field ${name}: prototype name ${proto} as value`, withField(name, asType(j(proto))));
      add(`field ${name}: object with key ${proto}`, withField(name, `{${j(proto)}:{"a":1}}`));
    }
    for (const depth of [100, 1_000]) {
      add(`field ${name}: nesting array x${depth}`, withField(name, nested('array', depth)));
      add(`field ${name}: nesting object x${depth}`, withField(name, nested('object', depth)));
    }
    const deep = rng.pick(['array', 'object'] as const);
    add(`field ${name}: nesting ${deep} x5000`, withField(name, nested(deep, 5_000)));
    for (const raw of FIELD_SPECIFIC[type])
      add(`field ${name}: ${type} edge value ${label(raw)}`, withField(name, raw));
    if (type === 'key')
      for (const key of ctx.keys) add(`field ${name}: real or forged key`, withField(name, j(key)));
    if (type === 'id')
      for (const id of ctx.foreignIds) add(`field ${name}: another tenant's id`, withField(name, j(id)));
    add(`field ${name}: huge string near limit`, withField(name, j('x'.repeat(limit - valid.length - 100))));
    add(`field ${name}: missing`, objectText(validEntries.filter(([k]) => k !== name)));
  }
  add('valid baseline', valid);
  add('empty object', '{}');
  add('unknown field', objectText([...validEntries, ['unknown_field', '1']]));

  // And random documents built from the route's field names, prototype names and odd values.
  for (let i = 0; i < 12; i++) add('random JSON document', randomJson(rng, names, rng.int(1, 6)));
  return cases;
}

/** `{401: 9000, 429: 12}`: the summary format of the fuzz log lines. */
export function formatTally(tally: Map<number | string, number>): string {
  const entries = [...tally.entries()].sort(([a], [b]) => String(a).localeCompare(String(b)));
  return `{${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
}
