/** Client authentication as RFC 6749 §2.3.1 allows it: HTTP Basic, or the body's two fields. */
export type ClientCredentials =
  | { clientId: string; secret: string; basic: boolean }
  | { error: 'invalid_request' | 'invalid_client'; basic: boolean }
  | null;

/** A field of a form or JSON body: one string, or undefined; a repeated field is refused. */
export function field(body: unknown, name: string): string | undefined | { repeated: true } {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : { repeated: true };
}

/** null: no client authentication at all. */
export function clientCredentials(authorization: string | undefined, body: unknown): ClientCredentials {
  const fromBody = [field(body, 'client_id'), field(body, 'client_secret')];
  const inBody = fromBody.some((v) => v !== undefined);
  if (authorization !== undefined && /^basic /i.test(authorization)) {
    // Two ways at once is refused (§2.3): which one would be the client?
    if (inBody) return { error: 'invalid_request', basic: true };
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return { error: 'invalid_client', basic: true };
    try {
      // The form encoding of §2.3.1: both parts are application/x-www-form-urlencoded.
      const clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      const secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
      return { clientId, secret, basic: true };
    } catch {
      return { error: 'invalid_client', basic: true };
    }
  }
  if (!inBody) return null;
  const [clientId, secret] = fromBody;
  if (typeof clientId !== 'string' || typeof secret !== 'string')
    return { error: 'invalid_request', basic: false };
  return { clientId, secret, basic: false };
}
