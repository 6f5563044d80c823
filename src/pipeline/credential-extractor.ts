import { header, HttpRequest } from '../core/http/http-request';

/**
 * Where a credential may be presented: `Authorization: Bearer`, `X-API-Key`, HTTP Basic with the
 * key as user name and an empty password, or (seed 003) a `ClientID` header beside the bearer
 * token. Query string and body (`api_token`) only when ALLOW_QUERY_CREDENTIALS is on, because URLs
 * end up in proxy logs. Two different credentials in one request are refused as ambiguous.
 */
export type Extracted =
  { key: string; clientId: string | null } | { error: 'missing' | 'ambiguous' | 'malformed_header' };

export function extractCredential(request: HttpRequest, allowQuery: boolean): Extracted {
  const found: string[] = [];
  const authorization = header(request, 'authorization');
  if (authorization !== null) {
    const fromAuth = fromAuthorization(authorization);
    if (fromAuth === null) return { error: 'malformed_header' };
    found.push(fromAuth);
  }
  const apiKey = header(request, 'x-api-key');
  if (apiKey !== null) found.push(apiKey.trim());
  if (allowQuery) {
    const fromQuery = stringField(request.query, 'api_token') ?? stringField(request.query, 'api_key');
    const fromBody = stringField(request.body, 'api_token');
    for (const value of [fromQuery, fromBody]) if (value) found.push(value.trim());
  }
  if (found.length === 0) return { error: 'missing' };
  // The same key in two places is fine; two different ones are ambiguous.
  if (found.some((key) => key !== found[0])) return { error: 'ambiguous' };
  // Voltis (seed 003) sends its client id beside the token, in the same places.
  const clientId =
    header(request, 'clientid') ??
    (allowQuery ? (stringField(request.query, 'client_id') ?? stringField(request.body, 'client_id')) : null);
  return { key: found[0], clientId };
}

function fromAuthorization(value: string): string | null {
  const space = value.indexOf(' ');
  if (space < 0) return null;
  const scheme = value.slice(0, space).toLowerCase();
  const rest = value.slice(space + 1).trim();
  if (scheme === 'bearer') return rest || null;
  if (scheme !== 'basic') return null;
  const decoded = Buffer.from(rest, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // The key is the user name; the password must be empty, as with `curl -u sk_live_…:`.
  if (colon < 1 || decoded.slice(colon + 1) !== '') return null;
  return decoded.slice(0, colon);
}

function stringField(source: unknown, name: string): string | null {
  if (typeof source !== 'object' || source === null) return null;
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

/**
 * Once read, a credential given in the query string or body is removed from the request, so that
 * no handler, DTO validation (which refuses unknown fields) or log ever sees the secret.
 */
export function removeCredentialFields(request: HttpRequest): void {
  for (const [source, names] of [
    [request.query, ['api_token', 'api_key', 'client_id']],
    [request.body, ['api_token', 'client_id']],
  ] as const) {
    if (typeof source === 'object' && source !== null) {
      for (const name of names) delete (source as Record<string, unknown>)[name];
    }
  }
}
