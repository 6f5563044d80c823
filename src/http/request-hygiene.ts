import { newRequestId } from './request-ids';
import type { Socket } from 'node:net';
import { percentDecoded, redactSecrets } from '../core/common/secret-redaction';

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
 * twice-escaped ones too), then every key and credential redacted by the one redaction
 * (secret-redaction.ts), so `sk%5Flive%5F…` and `sk%255Flive…` are caught as well.
 */
export function loggablePath(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (plainlyHarmless(path)) return path;
  let decoded = path;
  if (path.includes('%')) {
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // Not valid UTF-8 percent-encoding as a whole (`/%zz/sk_live%5F…`): percentDecoded below
      // still decodes each escape of a printable character.
    }
    decoded = percentDecoded(decoded);
  }
  // Anything but printable ASCII goes before redaction (a zero-width space or a control byte in a
  // key would otherwise hide it) rather than becoming a `?` after.
  return redactSecrets(decoded.replace(/[^\x20-\x7e]/g, ''));
}

/**
 * True when the redaction below cannot change `path`, so the common path skips it (it was most of
 * an access line's cost): printable ASCII with no space (nothing to drop, no `Bearer x`), no `%`
 * (nothing to decode), no `|` (no Sanctum `id|secret`), and no run of letters, digits and `_`
 * as long as 16, while every other thing redactSecrets matches holds a longer one (a typed prefix
 * and 16 characters; 32 letters and digits; 16, `_` and 38). The spec checks it against the
 * slow path on generated paths.
 */
export function plainlyHarmless(path: string): boolean {
  let run = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x25 /* % */ || c === 0x7c /* | */) return false;
    const word =
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
    if (!word) run = 0;
    else if (++run >= 16) return false;
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
