import { parseTrustProxy } from '../config/trust-proxy';
import { clientIp, HttpRequest, peerAddress, requestHost } from './http-request';

const req = (peer: string, forwardedFor?: string, forwardedHost?: string): HttpRequest => ({
  method: 'GET',
  url: '/',
  headers: {
    host: 'acme.localhost',
    ...(forwardedFor !== undefined ? { 'x-forwarded-for': forwardedFor } : {}),
    ...(forwardedHost !== undefined ? { 'x-forwarded-host': forwardedHost } : {}),
  },
  socket: { remoteAddress: peer },
});

describe('clientIp: one client address, never one the client wrote in front', () => {
  it('ignores X-Forwarded-For without TRUST_PROXY', () => {
    expect(clientIp(req('203.0.113.9', '10.9.9.9'), parseTrustProxy(undefined))).toBe('203.0.113.9');
    expect(clientIp(req('::ffff:203.0.113.9', '10.9.9.9'), parseTrustProxy('false'))).toBe('203.0.113.9');
  });

  it('true = one hop: the right-most entry, whatever the client put to its left', () => {
    const trust = parseTrustProxy('true');
    // The client sent "X-Forwarded-For: 10.9.9.9"; the proxy appended the address it saw.
    expect(clientIp(req('127.0.0.1', '10.9.9.9, 198.51.100.7'), trust)).toBe('198.51.100.7');
    expect(clientIp(req('127.0.0.1', '198.51.100.7'), trust)).toBe('198.51.100.7');
    expect(clientIp(req('127.0.0.1'), trust)).toBe('127.0.0.1');
  });

  it('a hop count skips that many proxies from the right', () => {
    const trust = parseTrustProxy('2');
    expect(clientIp(req('127.0.0.1', '10.9.9.9, 198.51.100.7, 192.0.2.1'), trust)).toBe('198.51.100.7');
    // Fewer entries than hops: the left-most there is.
    expect(clientIp(req('127.0.0.1', '198.51.100.7'), trust)).toBe('198.51.100.7');
  });

  it('a list of proxies: the right-most address that is not one of them, and only from a trusted peer', () => {
    const trust = parseTrustProxy('127.0.0.1, 10.0.0.0/8');
    expect(clientIp(req('127.0.0.1', '6.6.6.6, 198.51.100.7, 10.1.2.3'), trust)).toBe('198.51.100.7');
    expect(clientIp(req('10.0.0.5', '10.1.2.3, 10.4.4.4'), trust)).toBe('10.1.2.3');
    // A peer that is no proxy of ours is the client, whatever it forwards.
    expect(clientIp(req('203.0.113.9', '10.1.2.3'), trust)).toBe('203.0.113.9');
  });

  it('an entry that is not an address yields the hop that reported it; ports are dropped', () => {
    expect(clientIp(req('127.0.0.1', 'junk'), parseTrustProxy('true'))).toBe('127.0.0.1');
    expect(clientIp(req('127.0.0.1', '198.51.100.7:5555'), parseTrustProxy('true'))).toBe('198.51.100.7');
    expect(clientIp(req('127.0.0.1', '[2001:db8::1]:443'), parseTrustProxy('true'))).toBe('2001:db8::1');
  });

  it('believes X-Forwarded-Host only from a trusted proxy, right-most value', () => {
    const trust = parseTrustProxy('127.0.0.1');
    expect(requestHost(req('127.0.0.1', undefined, 'evil.localhost, globex.localhost'), trust)).toBe(
      'globex.localhost',
    );
    expect(requestHost(req('203.0.113.9', undefined, 'globex.localhost'), trust)).toBe('acme.localhost');
  });

  it('refuses a TRUST_PROXY it cannot read, naming the variable', () => {
    expect(() => parseTrustProxy('maybe')).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy('10.0.0.0/99')).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy('99')).toThrow(/TRUST_PROXY/);
  });
});

describe('peerAddress: normalised once per connection', () => {
  it('answers each connection with its own peer, and does not remember a socket without one', () => {
    const socket: { remoteAddress?: string } = {};
    const request = { method: 'GET', url: '/', headers: {}, socket };
    expect(peerAddress(request)).toBe('0.0.0.0');
    socket.remoteAddress = '::FFFF:198.51.100.7';
    expect(peerAddress(request)).toBe('198.51.100.7');
    const other = { ...request, socket: { remoteAddress: '2001:DB8::1' } };
    expect(peerAddress(other)).toBe('2001:db8::1');
    expect(peerAddress(request)).toBe('198.51.100.7');
  });
});
