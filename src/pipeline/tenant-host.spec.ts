import { requestHost, type HttpRequest } from '../core/http/http-request';
import { classifyHost } from './tenant-host';

const req = (headers: Record<string, string>): HttpRequest => ({
  method: 'GET',
  url: '/',
  headers,
  socket: {},
});

describe('tenant host', () => {
  it('takes the label under the base domain', () => {
    expect(classifyHost('acme.localhost', 'localhost')).toEqual({ type: 'tenant', slug: 'acme' });
    expect(classifyHost('localhost', 'localhost')).toEqual({ type: 'platform' });
    expect(classifyHost('a.b.localhost', 'localhost')).toEqual({ type: 'unknown' });
    expect(classifyHost('acme.example.com', 'localhost')).toEqual({ type: 'unknown' });
    expect(classifyHost('127.0.0.1', 'localhost')).toEqual({ type: 'unknown' });
  });

  it('strips the port, lower-cases and ignores X-Forwarded-Host unless proxies are trusted', () => {
    expect(requestHost(req({ host: 'ACME.Localhost:3000' }), { mode: 'none' })).toBe('acme.localhost');
    const spoofed = req({ host: 'acme.localhost', 'x-forwarded-host': 'evil.localhost' });
    expect(requestHost(spoofed, { mode: 'none' })).toBe('acme.localhost');
    expect(requestHost(spoofed, { mode: 'hops', hops: 1 })).toBe('evil.localhost');
  });
});
