import { ExecutionContext } from '@nestjs/common';
import { isIP } from 'node:net';
import { isTrustedProxy, type TrustProxy } from '../config/trust-proxy';

/**
 * The parts of a request the pipeline reads. Both Fastify's and Express's request objects have
 * this shape, so nothing outside src/http/ depends on the adapter.
 */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  socket: { remoteAddress?: string };
  query?: unknown;
  body?: unknown;
}

export function httpRequest(context: ExecutionContext): HttpRequest {
  // The request is the first handler argument of an HTTP route. Not `switchToHttp().getRequest()`:
  // Nest builds three closures and an Object.assign on every `switchToHttp()`, and each link of
  // the guard chain asks.
  return context.getArgByIndex<HttpRequest>(0);
}

/** One header's value; repeated headers are refused (null) rather than guessed between. */
export function header(request: HttpRequest, name: string): string | null {
  const value = request.headers[name.toLowerCase()];
  if (Array.isArray(value)) return null;
  return value === undefined ? null : value;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`, so IPv4 rules match IPv4 clients on dual-stack sockets. */
export function normalizeIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1] : ip.toLowerCase();
}

/** Each connection's peer, normalised once: a kept-alive connection carries many requests. */
const peers = new WeakMap<object, string>();

/** The socket's peer address, normalised (what clientIp returns without trusted proxies). */
export function peerAddress(request: HttpRequest): string {
  let peer = peers.get(request.socket);
  if (peer === undefined) {
    peer = normalizeIp(request.socket.remoteAddress ?? '0.0.0.0');
    // Before connecting (and after closing) a socket has no address: remember only a real one.
    if (request.socket.remoteAddress !== undefined) peers.set(request.socket, peer);
  }
  return peer;
}

/**
 * The one client address (allowlists, failure limits, login throttling, audit). Without trusted
 * proxies, the socket's peer. Behind them, X-Forwarded-For read from the RIGHT: each trusted hop
 * appended the address it saw, so the client is the right-most entry that is not a trusted hop;
 * whatever a client wrote itself stands further left and is never read. An entry that is not an
 * address (a misconfigured proxy) yields the hop that reported it, which the client cannot choose.
 */
export function clientIp(request: HttpRequest, trust: TrustProxy): string {
  const peer = peerAddress(request);
  if (trust.mode === 'none' || !isTrustedProxy(trust, peer)) return peer;
  const forwarded = header(request, 'x-forwarded-for');
  if (!forwarded) return peer;
  const hops = [...forwarded.split(',').map(stripPort), peer];
  let index = hops.length - 1;
  if (trust.mode === 'hops') index = Math.max(0, hops.length - 1 - trust.hops);
  else
    while (index > 0 && isIP(hops[index]) !== 0 && isTrustedProxy(trust, normalizeIp(hops[index]))) index--;
  while (index < hops.length - 1 && isIP(hops[index]) === 0) index++;
  return normalizeIp(hops[index]);
}

/** `1.2.3.4:5678` and `[2001:db8::1]:443` (some proxies add the port) → the address alone. */
function stripPort(entry: string): string {
  const value = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1];
  const v4 = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(value);
  return v4 ? v4[1] : value;
}

/**
 * Lower-cased host without port. X-Forwarded-Host only from a trusted proxy, and its right-most
 * value (the one our proxy set or appended).
 */
export function requestHost(request: HttpRequest, trust: TrustProxy): string {
  return normalizeHost(rawRequestHost(request, trust));
}

/** The Host (or, from a trusted proxy, X-Forwarded-Host) value as sent, before normalizeHost. */
export function rawRequestHost(request: HttpRequest, trust: TrustProxy): string {
  const forwarded =
    trust.mode !== 'none' && isTrustedProxy(trust, peerAddress(request))
      ? header(request, 'x-forwarded-host')?.split(',').pop()
      : null;
  return forwarded ?? header(request, 'host') ?? '';
}

/** `ACME.localhost:3000.` → `acme.localhost`: lower case, no port, no trailing dot. */
export function normalizeHost(raw: string): string {
  const host = raw.trim().toLowerCase();
  const withoutPort = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return withoutPort.replace(/\.$/, '');
}
