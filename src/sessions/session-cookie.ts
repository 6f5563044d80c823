import { header, HttpRequest } from '../core/http/http-request';

/** The cookie's name. Host-only (no Domain attribute): a browser never sends it to another tenant. */
export const SESSION_COOKIE = 'keygate_session';

/** A session secret is 32 random bytes in base64url: anything else is no session cookie. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** The session secret from the Cookie header, or null (absent, malformed, sent twice). */
export function sessionSecret(request: HttpRequest): string | null {
  const cookies = header(request, 'cookie');
  if (!cookies) return null;
  let found: string | null = null;
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (found !== null && found !== value) return null;
    found = value;
  }
  return found !== null && SECRET.test(found) ? found : null;
}

export interface CookieOptions {
  secure: boolean;
  /** Seconds until the browser drops it; 0 clears it. */
  maxAgeSeconds: number;
}

/** `Set-Cookie` for the session: HttpOnly, SameSite=Lax, Path=/, Secure in production. */
export function sessionCookie(value: string, options: CookieOptions): string {
  const parts = [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
