import type { HttpRequest } from '../core/http/http-request';
import { extractCredential } from './credential-extractor';

const req = (headers: Record<string, string | string[]>, query?: unknown, body?: unknown): HttpRequest => ({
  method: 'GET',
  url: '/',
  headers,
  socket: {},
  query,
  body,
});
const basic = (user: string, password = '') =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('extractCredential: where a key may be presented', () => {
  it('reads Bearer, X-API-Key, Basic with an empty password, and ClientID beside a bearer', () => {
    expect(extractCredential(req({ authorization: 'Bearer k1' }), false)).toEqual({
      key: 'k1',
      clientId: null,
    });
    expect(extractCredential(req({ 'x-api-key': ' k1 ' }), false)).toEqual({ key: 'k1', clientId: null });
    expect(extractCredential(req({ authorization: basic('k1') }), false)).toEqual({
      key: 'k1',
      clientId: null,
    });
    expect(extractCredential(req({ authorization: 'Bearer k1', clientid: 'id1' }), false)).toEqual({
      key: 'k1',
      clientId: 'id1',
    });
  });

  it('refuses what is missing, malformed or ambiguous', () => {
    expect(extractCredential(req({}), false)).toEqual({ error: 'missing' });
    expect(extractCredential(req({ authorization: 'Token k1' }), false)).toEqual({
      error: 'malformed_header',
    });
    expect(extractCredential(req({ authorization: basic('k1', 'secret') }), false)).toEqual({
      error: 'malformed_header',
    });
    expect(extractCredential(req({ authorization: 'Bearer k1', 'x-api-key': 'k2' }), false)).toEqual({
      error: 'ambiguous',
    });
  });

  it('reads the query string and body only when ALLOW_QUERY_CREDENTIALS is on', () => {
    expect(extractCredential(req({}, { api_token: 'k1' }), false)).toEqual({ error: 'missing' });
    expect(extractCredential(req({}, { api_token: 'k1' }), true)).toEqual({ key: 'k1', clientId: null });
    expect(extractCredential(req({}, undefined, { api_token: 'k1' }), true)).toEqual({
      key: 'k1',
      clientId: null,
    });
  });
});
