import { newRequestId } from './request-ids';
import type { Socket } from 'node:net';
import {
  redactSecrets,
  unescapedForMatching,
  UUID,
  withoutInvisibles,
} from '../core/common/secret-redaction';

/**
 * Checks made on raw HTTP before any route runs: things no client may send (RFC 9112's single
 * Host, one Authorization), JSON no DTO could need, and what may be written to a log.
 */

/** Our DTOs nest two levels; anything past this is a parser attack, refused before JSON.parse. */
export const MAX_JSON_DEPTH = 32;

/** True when `body` opens more than `max` arrays/objects inside each other (strings skipped). */
export function jsonTooDeep(body: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

/**
 * True when a parsed JSON value holds a string that is not well-formed UTF-16 (a lone surrogate,
 * `"\ud800"`): no field of ours can mean one, and validators and drivers throw on them.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function hasLoneSurrogate(value: unknown): boolean {
  // With the u flag a paired surrogate is one code point and does not match; a lone one does.
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  for (const [key, item] of Object.entries(value))
    if (LONE_SURROGATE.test(key) || hasLoneSurrogate(item)) return true;
  return false;
}

/**
 * Node keeps the first of two Host or Authorization lines and drops the other; a proxy in front
 * may have read the other one. Which tenant, which credential: never a guess (RFC 9112 §3.2: 400).
 */
export function repeatedSingletonHeader(rawHeaders: readonly string[]): string | null {
  let host = 0;
  let authorization = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length === 4 && name.toLowerCase() === 'host') host++;
    else if (name.length === 13 && name.toLowerCase() === 'authorization') authorization++;
  }
  return host > 1 ? 'Host' : authorization > 1 ? 'Authorization' : null;
}

/** A key's typed prefix anywhere in `value` (`sk_live_`, `sk_test_`, `ut_`, `kgp_`). */
export function looksLikeKey(value: string): boolean {
  return /(^|[^A-Za-z0-9])(sk_live|sk_test|ut|kgp)_/i.test(value);
}

/**
 * The path as logged: no query string, percent-escapes decoded (as UTF-8 where they are, and
 * twice-escaped ones too; escapes of unprintable characters dropped), only printable ASCII kept,
 * then every key and credential redacted: by the path's own stricter patterns below, then by the
 * one redaction of every log line (secret-redaction.ts).
 */
export function loggablePath(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return plainlyHarmless(path) ? path : redactedPath(path);
}

/**
 * Stricter than free text may be, since a path has no prose to keep (attack pass): after a whole
 * key, the rest of the path (a `&`, `'` or decoded `?` pasted into its secret ended the general
 * pattern, and its tail was logged); a typed prefix with 16 or more and the rest of the path too
 * (an imported `sk_live_` key of 16, or a native key whose `_` became a `/`; a native key's
 * public prefix alone is redacted with it, which a path has no need to show); Sanctum's `id|secret`
 * of any length; any `prefix_` and 20 or more (Unkey-style tokens); and any run of 32 or more
 * base64url characters (session cookies, hex and base62 tokens); but our ids (`ws_` and a ULID)
 * and UUIDs, which an operator needs to read.
 */
const PATH_SECRETS = new RegExp(
  [
    '((?:sk_live|sk_test|ut|kgp)_[A-Za-z0-9]{16})_.+',
    '(?:sk_live|sk_test|ut|kgp)_[A-Za-z0-9_]{16,}.*',
    '\\d+\\|[A-Za-z0-9]+',
    '[A-Za-z][A-Za-z0-9]{0,11}_[A-Za-z0-9]{20,}',
    '[A-Za-z0-9_-]{32,}',
  ].join('|'),
  'gi',
);
/** Our ids: a type prefix and a ULID (src/core/common/ids.ts). */
const OUR_ID = /^[a-z]{2,4}_[0-9A-HJKMNP-TV-Z]{26}$/;
const readable = (match: string) => OUR_ID.test(match) || UUID.test(match);

/** loggablePath's full work, for any path (the spec holds the fast path to it). */
export function redactedPath(path: string): string {
  let decoded = path;
  if (path.includes('%')) {
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // Not valid UTF-8 percent-encoding as a whole (`/%zz/sk_live%5F…`): each escape is still
      // decoded or dropped below.
    }
    decoded = unescapedForMatching(decoded);
  }
  // Invisible characters gone, also written out as entities or escapes (the one redaction's
  // list), then printable ASCII only, spaces too: a control byte or a decoded space in a key
  // would otherwise split it, rather than become a `?` after.
  const visible = withoutInvisibles(decoded).replace(/[^\x21-\x7e]/g, '');
  return redactSecrets(
    visible.replace(PATH_SECRETS, (match, prefix: string | undefined) =>
      prefix ? `${prefix}_[redacted]` : readable(match) ? match : '[redacted]',
    ),
  );
}

/**
 * True when redactedPath cannot change `path`, so the common path skips it (it was most of an
 * access line's cost): printable ASCII with no space (nothing to drop), no `%`, `&`, `\` or `=`
 * (nothing to decode or drop), no `|` (no Sanctum `id|secret`), no run of letters, digits and
 * `_` as long as 16 and none of those and `-` as long as 32, while everything either pattern set
 * matches holds a longer one (a typed prefix and 16; `x_` and 20; 32 letters and digits; 16, `_`
 * and 38) or a `|`, or a space (`Bearer x`). The spec checks it against redactedPath on
 * generated paths.
 */
export function plainlyHarmless(path: string): boolean {
  let word = 0;
  let dashed = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x25 /* % */ || c === 0x7c /* | */ || c === 0x26 /* & */)
      return false;
    if (c === 0x5c /* \ */ || c === 0x3d /* = */) return false;
    const inWord =
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
    if (inWord) {
      if (++word >= 16 || ++dashed >= 32) return false;
    } else if (c === 0x2d /* - */) {
      word = 0;
      if (++dashed >= 32) return false;
    } else word = dashed = 0;
  }
  return true;
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'Request Header Fields Too Large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'Request Timeout.'],
};

/**
 * What a request Node's parser refused gets: the error bodies of product.md, as JSON, not
 * Fastify's own shape (`{"error","message","statusCode"}`).
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, text, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'Bad Request',
    'Malformed request.',
  ];
  const body = JSON.stringify({ message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nX-Request-Id: ${newRequestId()}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
