import { ExecutionContext } from '@nestjs/common';
import { isIP } from 'node:net';

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
  return context.switchToHttp().getRequest<HttpRequest>();
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

/** The socket's address, or the left-most X-Forwarded-For entry when TRUST_PROXY says so. */
export function clientIp(request: HttpRequest, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = header(request, 'x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded && isIP(forwarded)) return normalizeIp(forwarded);
  }
  return normalizeIp(request.socket.remoteAddress ?? '0.0.0.0');
}

/** Lower-cased host without port: X-Forwarded-Host only when TRUST_PROXY says so. */
export function requestHost(request: HttpRequest, trustProxy: boolean): string {
  const raw = (trustProxy ? header(request, 'x-forwarded-host')?.split(',')[0] : null) ?? header(request, 'host') ?? '';
  const host = raw.trim().toLowerCase();
  const withoutPort = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return withoutPort.replace(/\.$/, '');
}
